namespace Pulse.Redis.Resp;

public sealed partial class RedisConnection
{
    private ValueTask<Topology> GetTopologyAsync(CancellationToken cancellationToken)
    {
        if (_topology is { } known)
        {
            return new ValueTask<Topology>(known);
        }
        Task<Topology> attempt;
        lock (_topologyLock)
        {
            if (_topology is { } raced)
            {
                return new ValueTask<Topology>(raced);
            }
            // One discovery serves every caller that arrives while it runs.
            attempt = _discovering ??= Task.Run(DiscoverAsync, CancellationToken.None).Observed();
        }
        return new ValueTask<Topology>(attempt.WaitAsync(cancellationToken));
    }

    /// <summary>Asks the configured endpoints, in order, whether they are a cluster; the first answer wins.</summary>
    private async Task<Topology> DiscoverAsync()
    {
        try
        {
            RedisException? lastFailure = null;
            foreach (var endpoint in Configuration.Endpoints)
            {
                var node = GetNode(endpoint);
                try
                {
                    var topology = await QueryTopologyAsync(node).ConfigureAwait(false);
                    _topology = topology;
                    return topology;
                }
                catch (RedisException ex)
                {
                    lastFailure = ex;
                }
            }
            throw new RedisConnectionException(
                $"No Redis endpoint is reachable ({string.Join(", ", Configuration.Endpoints)}): {lastFailure?.Message}", lastFailure);
        }
        finally
        {
            lock (_topologyLock)
            {
                _discovering = null;
            }
        }
    }

    private async Task<Topology> QueryTopologyAsync(RedisNode node)
    {
        var slots = await node.ExecuteAsync(ClusterSlotsCommand, asking: false, _shutdown.Token).ConfigureAwait(false);
        if (!slots.IsError)
        {
            return ParseClusterTopology(slots, node);
        }
        // A standalone server refuses CLUSTER SLOTS; so may an ACL that forbids it on a real cluster.
        var info = await node.ExecuteAsync(InfoClusterCommand, asking: false, _shutdown.Token).ConfigureAwait(false);
        var clusterEnabled = !info.IsError && info.AsString()!.Contains("cluster_enabled:1", StringComparison.Ordinal);
        return clusterEnabled ? ParseClusterTopology(RedisResult.EmptyArray, node) : Topology.Standalone(node);
    }

    private Topology ParseClusterTopology(RedisResult slots, RedisNode node)
    {
        try
        {
            return Topology.Cluster(slots, node, GetNode);
        }
        catch (Exception ex) when (ex is InvalidCastException or NullReferenceException or IndexOutOfRangeException or ArgumentException)
        {
            throw new RedisServerException($"Redis {node.Endpoint} sent an unreadable CLUSTER SLOTS reply: {ex.Message}", ex);
        }
    }

    /// <summary>Reloads the slot map in the background, at most once per <see cref="SlotRefreshIntervalMs"/>.</summary>
    private void RequestSlotRefresh()
    {
        if (_topology?.IsCluster != true || _disposed != 0)
        {
            return;
        }
        lock (_topologyLock)
        {
            var now = Environment.TickCount64;
            if (_refreshing || now - _lastRefreshAt < SlotRefreshIntervalMs)
            {
                return;
            }
            _refreshing = true;
            _lastRefreshAt = now;
        }
        _ = Task.Run(RefreshSlotsAsync, CancellationToken.None);
    }

    private async Task RefreshSlotsAsync()
    {
        try
        {
            // Connected masters first: asking a node that is down would only wait for the connect timeout.
            var candidates = (_topology?.Masters ?? [])
                .OrderByDescending(node => node.IsConnected)
                .Concat(Configuration.Endpoints.Select(GetNode))
                .Distinct();
            foreach (var node in candidates)
            {
                try
                {
                    var slots = await node.ExecuteAsync(ClusterSlotsCommand, asking: false, _shutdown.Token).ConfigureAwait(false);
                    if (!slots.IsError && slots.AsArray() is { Count: > 0 })
                    {
                        _topology = ParseClusterTopology(slots, node);
                        return;
                    }
                }
                catch (RedisException)
                {
                    // Try the next node.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed while refreshing.
        }
        finally
        {
            lock (_topologyLock)
            {
                _refreshing = false;
            }
        }
    }
}
