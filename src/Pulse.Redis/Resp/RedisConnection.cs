using System.Collections.Concurrent;

namespace Pulse.Redis.Resp;

/// <summary>
/// A thread-safe, multiplexed Redis client for a standalone server or a Redis Cluster. Create one per process
/// and share it: all callers pipeline over one socket per node.
/// <para>
/// Failure contract: every operation completes within the connect timeout plus the command timeout (per
/// redirect), and fails only with <see cref="RedisConnectionException"/>, <see cref="RedisTimeoutException"/>,
/// <see cref="RedisServerException"/> (all <see cref="RedisException"/>) or <see cref="OperationCanceledException"/>
/// for the caller's own token; argument mistakes throw <see cref="ArgumentException"/>. A node that goes away is
/// reconnected lazily by later commands, which fail fast for <see cref="RedisNode.ReconnectBackoffMs"/> ms after
/// each failed attempt.
/// </para>
/// </summary>
public sealed partial class RedisConnection : IAsyncDisposable
{
    private const int MaxRedirects = 5;
    private const int SlotRefreshIntervalMs = 1000;

    private static readonly RedisArg[] ClusterSlotsCommand = ["CLUSTER", "SLOTS"];
    private static readonly RedisArg[] InfoClusterCommand = ["INFO", "cluster"];

    private readonly ConcurrentDictionary<RedisEndpoint, RedisNode> _nodes = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Timer _timer;
    private readonly RedisSubscriber _subscriber;
    private readonly Lock _topologyLock = new();
    private volatile Topology? _topology;
    private Task<Topology>? _discovering;
    private bool _refreshing;
    private long _lastRefreshAt = long.MinValue / 2;
    private int _timerBusy;
    private int _disposed;

    private RedisConnection(RedisConfiguration configuration)
    {
        Configuration = configuration;
        _subscriber = new RedisSubscriber(configuration, SubscriberEndpoints, _shutdown.Token);
        // One timer enforces command timeouts for every connection, instead of a timer per command.
        var period = TimeSpan.FromMilliseconds(Math.Clamp(configuration.CommandTimeout.TotalMilliseconds / 8, 10, 100));
        _timer = new Timer(static state => ((RedisConnection)state!).OnTimer(), this, period, period);
    }

    public RedisConfiguration Configuration { get; }

    /// <summary>True once discovery found a Redis Cluster; false for standalone or while Redis was never reachable.</summary>
    public bool IsCluster => _topology?.IsCluster == true;

    /// <summary>
    /// Creates the client and tries to discover the topology. When Redis is unreachable the client is returned
    /// anyway (like abortConnect=false) and commands connect lazily, failing with <see cref="RedisConnectionException"/> until Redis is back.
    /// </summary>
    public static async Task<RedisConnection> ConnectAsync(RedisConfiguration configuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.Endpoints.Count == 0)
        {
            throw new ArgumentException("The Redis configuration names no endpoint.", nameof(configuration));
        }
        if (configuration.ConnectTimeout <= TimeSpan.Zero || configuration.CommandTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("Redis timeouts must be positive.", nameof(configuration));
        }

        var connection = new RedisConnection(configuration);
        try
        {
            await connection.GetTopologyAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RedisException)
        {
            // Redis being down at startup must not stop the application; commands will retry.
        }
        catch (OperationCanceledException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return connection;
    }

    /// <summary>
    /// Sends a command and returns its reply. <paramref name="routingKey"/> picks the cluster node owning its hash
    /// slot (null: any node); MOVED and ASK redirects are followed.
    /// </summary>
    /// <exception cref="RedisServerException">Redis answered with an error; the connection stays usable.</exception>
    public async Task<RedisResult> ExecuteAsync(string? routingKey, IReadOnlyList<RedisArg> args, CancellationToken cancellationToken = default)
    {
        ValidateCommand(args);
        var slot = routingKey is null ? -1 : RedisHashSlot.Compute(routingKey);
        var reply = await ExecuteCoreAsync(slot, args, cancellationToken).ConfigureAwait(false);
        return reply.IsError ? throw new RedisServerException(reply.AsString()!) : reply;
    }

    /// <summary>Routes, sends and follows redirects; error replies are returned, not thrown.</summary>
    private async Task<RedisResult> ExecuteCoreAsync(int slot, IReadOnlyList<RedisArg> args, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        var topology = _topology ?? await GetTopologyAsync(cancellationToken).ConfigureAwait(false);
        var node = topology.NodeFor(slot);
        var asking = false;
        for (var redirects = 0; ; redirects++)
        {
            RedisResult reply;
            try
            {
                reply = await node.ExecuteAsync(args, asking, cancellationToken).ConfigureAwait(false);
            }
            catch (RedisConnectionException) when (topology.IsCluster)
            {
                // The node may have failed over: learn the new owners so later commands go there.
                RequestSlotRefresh();
                throw;
            }
            if (!reply.IsError || !topology.IsCluster || redirects >= MaxRedirects)
            {
                return reply;
            }

            var error = reply.AsString()!;
            if (Redirection.TryParse(error, node.Endpoint, out var redirection))
            {
                node = GetNode(redirection.Endpoint);
                asking = redirection.IsAsk;
                if (!asking)
                {
                    topology.Redirect(redirection.Slot, node);
                    RequestSlotRefresh();
                }
            }
            else if (error.StartsWith("TRYAGAIN", StringComparison.Ordinal))
            {
                // A multi-key command hit a slot in the middle of migrating; it settles within milliseconds.
                await Task.Delay(10 * (redirects + 1), cancellationToken).ConfigureAwait(false);
                node = (_topology ?? topology).NodeFor(slot);
                asking = false;
            }
            else
            {
                return reply;
            }
        }
    }

    private static void ValidateCommand(IReadOnlyList<RedisArg> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0)
        {
            throw new ArgumentException("A Redis command needs at least its name.", nameof(args));
        }
        // These change state of the connection every caller shares: the protocol (breaking reply pairing) or a
        // transaction that other callers' commands would interleave with.
        switch (args[0].AsText?.ToUpperInvariant())
        {
            case "SUBSCRIBE" or "PSUBSCRIBE" or "SSUBSCRIBE" or "MONITOR" or "HELLO" or "RESET" or "QUIT":
                throw new ArgumentException(
                    $"{args[0].AsText} cannot be sent on the shared connection; use SubscribeAsync for pub/sub.", nameof(args));
            case "MULTI" or "EXEC" or "DISCARD" or "WATCH" or "UNWATCH":
                throw new ArgumentException(
                    $"{args[0].AsText} cannot be used on the shared connection; use ScriptEvaluateAsync for atomic multi-command updates.", nameof(args));
        }
    }

    private RedisNode GetNode(RedisEndpoint endpoint) =>
        _nodes.GetOrAdd(endpoint, static (key, self) => new RedisNode(key, self.Configuration, self.OnConnectionLost, self._shutdown.Token), this);

    private void OnConnectionLost(RedisNode node) => RequestSlotRefresh();

    private IEnumerable<RedisEndpoint> SubscriberEndpoints() =>
        Configuration.Endpoints.Concat(_topology?.Masters.Select(node => node.Endpoint) ?? []).Distinct();

    private void OnTimer()
    {
        // Skip a tick rather than overlap with a slow one.
        if (Interlocked.Exchange(ref _timerBusy, 1) != 0)
        {
            return;
        }
        try
        {
            var now = Environment.TickCount64;
            foreach (var node in _nodes.Values)
            {
                node.CheckTimeouts(now);
            }
            _subscriber.OnTimer(now);
        }
        finally
        {
            Volatile.Write(ref _timerBusy, 0);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _shutdown.CancelAsync().ConfigureAwait(false);
        await _timer.DisposeAsync().ConfigureAwait(false);
        await _subscriber.DisposeAsync().ConfigureAwait(false);
        var reason = new RedisConnectionException("The Redis connection was disposed.");
        foreach (var node in _nodes.Values)
        {
            node.Close(reason);
        }
        // _shutdown is deliberately not disposed: background connect attempts may still observe its token.
    }
}
