namespace Pulse.Redis.Tests.Infrastructure;

/// <summary>
/// A standalone Redis shared by one test class: the server scripts/test.sh started (PULSE_TEST_REDIS, host:port), or
/// a private redis-server. Tests use keyspaces of their own (<see cref="TestKeyspace"/>), so sharing is safe.
/// </summary>
public class RedisServerFixture : IAsyncLifetime, IRedisTarget
{
    private RedisServer? _server;

    public string Configuration { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("PULSE_TEST_REDIS");
        if (!string.IsNullOrWhiteSpace(external))
        {
            Configuration = external;
            return;
        }

        _server = await RedisServer.StartAsync();
        Configuration = _server.Endpoint;
    }

    public Task DisposeAsync()
    {
        _server?.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>Where adapter tests run: a configuration string for <see cref="RedisConfiguration.Parse"/>.</summary>
public interface IRedisTarget
{
    string Configuration { get; }
}
