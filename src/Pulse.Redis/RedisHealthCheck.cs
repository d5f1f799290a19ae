using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Pulse.Redis;

/// <summary>Ready when Redis answers a PING (on a cluster: a node of it); the library's exception otherwise.</summary>
public sealed class RedisHealthCheck(RedisKeyspace redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await redis.Database.PingAsync().WaitAsync(cancellationToken);
        return HealthCheckResult.Healthy();
    }
}
