using Microsoft.Extensions.Options;
using Pulse.Api.Tracking;
using Pulse.Core.Caching;
using Pulse.Core.Posts;
using Pulse.Core.Tracking;
using Pulse.Redis;
using Pulse.Redis.Posts;
using Pulse.Redis.Resp;
using Pulse.Redis.Tracking;

namespace Pulse.Api.Infrastructure;

internal static class RedisRegistration
{
    public static void AddPulseRedis(this IServiceCollection services, string configuration, string keyPrefix)
    {
        var parsed = RedisConfiguration.Parse(configuration);
        services.AddSingleton(new RedisClient(parsed, keyPrefix));
        services.AddSingleton<RedisSharedCache>();
        services.AddSingleton<ISharedCache>(sp => sp.GetRequiredService<RedisSharedCache>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisSharedCache>());
        services.AddSingleton<ILiveCounters>(sp => new RedisLiveCounters(
            sp.GetRequiredService<RedisClient>(),
            sp.GetRequiredService<IOptions<TrackingOptions>>().Value.BucketRetention,
            sp.GetRequiredService<ILogger<RedisLiveCounters>>()));
        services.AddSingleton<RedisSearchResultCache>();
        services.AddSingleton<ISearchResultCache>(sp => sp.GetRequiredService<RedisSearchResultCache>());
        services.AddSingleton<RedisRecentKeywords>();
        services.AddSingleton<IRecentKeywords>(sp => sp.GetRequiredService<RedisRecentKeywords>());
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: ["ready"], timeout: TimeSpan.FromSeconds(2));
    }
}
