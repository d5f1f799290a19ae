using Pulse.Redis.Tests.Infrastructure;

namespace Pulse.Api.Tests.Infrastructure;

/// <summary>
/// Server mode against a redis-server that only this fixture uses, so a test may kill and restart it
/// without disturbing the rest of the suite.
/// </summary>
public sealed class PrivateRedisFixture : ServerFixture
{
    private RedisServer? _redis;

    public override string Mode => "server (private redis)";

    public RedisServer Redis => _redis!;

    protected override string RedisConfiguration => Redis.Endpoint + ",connectTimeout=500,syncTimeout=500";

    protected override async Task<Dictionary<string, string?>> PrepareAsync()
    {
        _redis = await RedisServer.StartAsync();
        return await base.PrepareAsync();
    }

    protected override async Task CleanUpAsync()
    {
        try
        {
            await base.CleanUpAsync();
        }
        finally
        {
            _redis?.Dispose(); // kills redis-server by its PID and waits for it
        }
    }
}
