using Pulse.Core.Health;

namespace Pulse.Redis;

/// <summary>Ready when Redis answers a PING (on a cluster: a node of it); throws the library's exception otherwise.</summary>
public sealed class RedisReadinessProbe(RedisKeyspace redis) : IReadinessProbe
{
    public string Name => "redis";

    public async Task<bool> CheckAsync(CancellationToken cancellationToken)
    {
        await redis.Database.PingAsync().WaitAsync(cancellationToken);
        return true;
    }
}
