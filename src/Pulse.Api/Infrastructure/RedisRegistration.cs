using Pulse.Core.Caching;
using Pulse.Core.Health;
using Pulse.Redis;
using Pulse.Redis.Resp;

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
        services.AddSingleton<IReadinessProbe, RedisReadinessProbe>();
    }
}
