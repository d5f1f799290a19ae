using Pulse.Core.Health;

namespace Pulse.Redis;

public sealed class RedisReadinessProbe(RedisClient redis) : IReadinessProbe
{
    public string Name => "redis";

    public async Task<bool> CheckAsync(CancellationToken cancellationToken)
    {
        var connection = await redis.GetAsync(cancellationToken);
        await connection.PingAsync(cancellationToken);
        return true;
    }
}
