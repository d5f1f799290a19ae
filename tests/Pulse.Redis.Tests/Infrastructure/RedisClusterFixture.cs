namespace Pulse.Redis.Tests.Infrastructure;

/// <summary>
/// A three-master Redis Cluster: the one scripts/test.sh started (PULSE_TEST_REDIS_CLUSTER, comma-separated
/// endpoints), or one built from private redis-server processes with <c>redis-cli --cluster create</c>.
/// </summary>
public class RedisClusterFixture : IAsyncLifetime, IRedisTarget
{
    private readonly bool _allowExternal;
    private readonly string[] _serverArgs;
    private readonly List<RedisServer> _servers = [];

    public RedisClusterFixture()
        : this(allowExternal: true)
    {
    }

    protected RedisClusterFixture(bool allowExternal, params string[] serverArgs)
    {
        _allowExternal = allowExternal;
        _serverArgs = serverArgs;
    }

    public string Configuration { get; private set; } = "";

    /// <summary>The private server processes (empty when the cluster of scripts/test.sh is used).</summary>
    public IReadOnlyList<RedisServer> Servers => _servers;

    public async Task InitializeAsync()
    {
        var external = _allowExternal ? Environment.GetEnvironmentVariable("PULSE_TEST_REDIS_CLUSTER") : null;
        if (!string.IsNullOrWhiteSpace(external))
        {
            Configuration = external;
            return;
        }

        _servers.AddRange(await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => RedisServer.StartAsync(cluster: true, _serverArgs))));
        await RedisCli.RunAsync(
            _servers[0].Host, _servers[0].Port,
            ["--cluster", "create", .. _servers.Select(server => server.Endpoint), "--cluster-replicas", "0", "--cluster-yes"]);
        var deadline = DateTime.UtcNow + Eventually.Patience;
        while (true)
        {
            var states = await Task.WhenAll(_servers.Select(server => RedisCli.RunAsync(server.Host, server.Port, "CLUSTER", "INFO")));
            if (states.All(state => state.Contains("cluster_state:ok", StringComparison.Ordinal)))
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("The Redis cluster did not reach cluster_state:ok: " + string.Join(" | ", states));
            }

            await Task.Delay(50);
        }

        Configuration = string.Join(',', _servers.Select(server => server.Endpoint));
    }

    public Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            server.Dispose();
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// A cluster of its own for tests that kill nodes: the slots of a dead master must not take the others down, hence
/// full coverage is not required.
/// </summary>
public sealed class PrivateRedisClusterFixture() : RedisClusterFixture(allowExternal: false, "--cluster-require-full-coverage", "no");
