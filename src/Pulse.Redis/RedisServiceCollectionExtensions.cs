using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pulse.Core.Caching;
using Pulse.Core.Posts;
using Pulse.Core.Tracking;
using Pulse.Redis.Posts;
using Pulse.Redis.Tracking;
using StackExchange.Redis;

namespace Pulse.Redis;

public static class RedisServiceCollectionExtensions
{
    /// <summary>The bucket retention when none is given (the default of <c>Tracking:BucketRetention</c>).</summary>
    public static readonly TimeSpan DefaultBucketRetention = TimeSpan.FromHours(3);

    /// <summary>
    /// Server mode's Redis: one <see cref="IConnectionMultiplexer"/> for the process (connected on first use; Pulse starts
    /// while Redis is down), the shared lookup cache and its invalidation subscriber, the live counters, the search-result
    /// cache, recent keywords and the health check <c>redis</c>. <paramref name="configuration"/> is StackExchange.Redis' own syntax
    /// (see <see cref="RedisConfiguration"/>); every key starts with <paramref name="keyPrefix"/>.
    /// <paramref name="bucketRetention"/> reads how long counter buckets live (e.g. from the tracking options).
    /// </summary>
    public static IServiceCollection AddPulseRedis(
        this IServiceCollection services, string configuration, string keyPrefix, Func<IServiceProvider, TimeSpan>? bucketRetention = null)
    {
        var options = RedisConfiguration.Parse(configuration);
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        services.AddSingleton(sp => new RedisKeyspace(sp.GetRequiredService<IConnectionMultiplexer>(), keyPrefix));

        services.AddSingleton<RedisSharedCache>();
        services.AddSingleton<ISharedCache>(sp => sp.GetRequiredService<RedisSharedCache>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisSharedCache>());

        services.AddSingleton(sp => new RedisLiveCounters(
            sp.GetRequiredService<RedisKeyspace>(),
            bucketRetention?.Invoke(sp) ?? DefaultBucketRetention,
            sp.GetRequiredService<ILogger<RedisLiveCounters>>()));
        services.AddSingleton<ILiveCounters>(sp => sp.GetRequiredService<RedisLiveCounters>());

        services.AddSingleton<RedisSearchResultCache>();
        services.AddSingleton<ISearchResultCache>(sp => sp.GetRequiredService<RedisSearchResultCache>());
        services.AddSingleton<ISearchResultEviction>(sp => sp.GetRequiredService<RedisSearchResultCache>());
        services.AddSingleton<RedisRecentKeywords>();
        services.AddSingleton<IRecentKeywords>(sp => sp.GetRequiredService<RedisRecentKeywords>());

        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: ["ready"], timeout: TimeSpan.FromSeconds(2));
        return services;
    }
}
