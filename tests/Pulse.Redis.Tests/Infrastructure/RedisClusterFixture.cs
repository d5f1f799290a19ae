using System.Globalization;
using Pulse.Redis.Resp;

namespace Pulse.Redis.Tests.Infrastructure;

/// <summary>
/// A three-master Redis Cluster (no replicas) built from private redis-server processes with
/// <c>redis-cli --cluster create</c>, or the cluster named by PULSE_TEST_REDIS_CLUSTER (comma-separated endpoints).
/// </summary>
public class RedisClusterFixture : IAsyncLifetime
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

    /// <summary>The private server processes (empty when an external cluster is used).</summary>
    public IReadOnlyList<RedisServer> Servers => _servers;

    public IReadOnlyList<RedisEndpoint> Nodes { get; private set; } = [];

    public string ConfigurationString => string.Join(',', Nodes);

    public async Task InitializeAsync()
    {
        var external = _allowExternal ? Environment.GetEnvironmentVariable("PULSE_TEST_REDIS_CLUSTER") : null;
        if (!string.IsNullOrWhiteSpace(external))
        {
            Nodes = [.. external.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(RedisEndpoint.Parse)];
        }
        else
        {
            _servers.AddRange(await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => RedisServer.StartAsync(cluster: true, _serverArgs))));
            Nodes = [.. _servers.Select(server => new RedisEndpoint(server.Host, server.Port))];
            await RedisCli.RunAsync(
                Nodes[0].Host, Nodes[0].Port,
                ["--cluster", "create", .. Nodes.Select(node => node.ToString()), "--cluster-replicas", "0", "--cluster-yes"]);
        }
        await WaitUntilHealthyAsync();
    }

    public Task<RedisConnection> ConnectAsync(string options = "") =>
        RedisConnection.ConnectAsync(RedisConfiguration.Parse(ConfigurationString + options));

    public Task<string> CliAsync(RedisEndpoint node, params string[] args) => RedisCli.RunAsync(node.Host, node.Port, args);

    /// <summary>The master that owns <paramref name="slot"/>, read from CLUSTER NODES on the first node.</summary>
    public async Task<RedisEndpoint> OwnerOfSlotAsync(int slot)
    {
        foreach (var line in (await CliAsync(Nodes[0], "CLUSTER", "NODES")).Split('\n'))
        {
            // <id> <ip:port@cport> <flags> <master> <ping> <pong> <epoch> <link> <slot> <slot> ...
            var fields = line.Trim().Split(' ');
            if (fields.Length < 9 || !fields[2].Contains("master", StringComparison.Ordinal))
            {
                continue;
            }
            foreach (var range in fields[8..].Where(range => !range.StartsWith('[')))
            {
                var bounds = range.Split('-');
                var start = int.Parse(bounds[0], CultureInfo.InvariantCulture);
                var end = bounds.Length > 1 ? int.Parse(bounds[1], CultureInfo.InvariantCulture) : start;
                if (slot >= start && slot <= end)
                {
                    return RedisEndpoint.Parse(fields[1].Split('@')[0]);
                }
            }
        }
        throw new InvalidOperationException($"No master owns slot {slot}.");
    }

    public async Task<string> NodeIdAsync(RedisEndpoint node) => await CliAsync(node, "CLUSTER", "MYID");

    /// <summary>
    /// Moves a slot (and its keys) from its owner to <paramref name="target"/> the way redis-cli --cluster reshard does.
    /// Without <paramref name="finish"/> the slot stays MIGRATING/IMPORTING, so the old owner answers ASK for moved keys.
    /// </summary>
    public async Task MigrateSlotAsync(int slot, RedisEndpoint target, bool finish = true)
    {
        var source = await OwnerOfSlotAsync(slot);
        var (sourceId, targetId) = (await NodeIdAsync(source), await NodeIdAsync(target));
        var slotText = slot.ToString(CultureInfo.InvariantCulture);
        await CliAsync(target, "CLUSTER", "SETSLOT", slotText, "IMPORTING", sourceId);
        await CliAsync(source, "CLUSTER", "SETSLOT", slotText, "MIGRATING", targetId);
        var keys = (await CliAsync(source, "CLUSTER", "GETKEYSINSLOT", slotText, "1000"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var key in keys)
        {
            await CliAsync(source, "MIGRATE", target.Host, target.Port.ToString(CultureInfo.InvariantCulture), key, "0", "5000");
        }
        if (finish)
        {
            await FinishMigrationAsync(slot, target);
        }
    }

    /// <summary>Assigns the slot to <paramref name="target"/> on every master, ending a migration.</summary>
    public async Task FinishMigrationAsync(int slot, RedisEndpoint target)
    {
        var targetId = await NodeIdAsync(target);
        var slotText = slot.ToString(CultureInfo.InvariantCulture);
        // Target first, as the Redis documentation prescribes, so the slot is never ownerless.
        foreach (var node in Nodes.OrderBy(node => node == target ? 0 : 1))
        {
            await CliAsync(node, "CLUSTER", "SETSLOT", slotText, "NODE", targetId);
        }
    }

    public Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            server.Dispose();
        }
        return Task.CompletedTask;
    }

    private async Task WaitUntilHealthyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var states = await Task.WhenAll(Nodes.Select(node => CliAsync(node, "CLUSTER", "INFO")));
            if (states.All(state => state.Contains("cluster_state:ok", StringComparison.Ordinal)))
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("The Redis cluster did not reach cluster_state:ok: " + string.Join(" | ", states));
            }
            await Task.Delay(50);
        }
    }
}

/// <summary>
/// A cluster of its own for tests that kill nodes. Slots of a dead master must not take the others down,
/// hence full coverage is not required.
/// </summary>
public sealed class PrivateRedisClusterFixture() : RedisClusterFixture(allowExternal: false, "--cluster-require-full-coverage", "no");

[CollectionDefinition(Name)]
public sealed class RedisClusterCollection : ICollectionFixture<RedisClusterFixture>
{
    public const string Name = "Redis cluster";
}
