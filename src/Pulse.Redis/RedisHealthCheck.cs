using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Pulse.Redis;

/// <summary>Ready when Redis answers PING.</summary>
public sealed class RedisHealthCheck(RedisClient redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var connection = await redis.GetAsync(cancellationToken);
        await connection.PingAsync(cancellationToken);
        return HealthCheckResult.Healthy();
    }
}
