namespace Pulse.Redis.Resp;

/// <summary>
/// Where commands go: the single node of a standalone server, or the owner of each hash slot in a cluster.
/// The slot array is patched in place by MOVED replies (reference writes are atomic) and replaced wholesale
/// by a CLUSTER SLOTS refresh.
/// </summary>
internal sealed class Topology
{
    private readonly RedisNode?[] _slots;
    private int _roundRobin;

    private Topology(bool isCluster, RedisNode?[] slots, IReadOnlyList<RedisNode> masters)
    {
        IsCluster = isCluster;
        _slots = slots;
        Masters = masters;
    }

    public bool IsCluster { get; }

    /// <summary>The standalone node, or the cluster masters that own slots (never empty).</summary>
    public IReadOnlyList<RedisNode> Masters { get; }

    public static Topology Standalone(RedisNode node) => new(false, [], [node]);

    /// <summary>Builds the slot map from a CLUSTER SLOTS reply; <paramref name="source"/> is the node that answered.</summary>
    public static Topology Cluster(RedisResult clusterSlots, RedisNode source, Func<RedisEndpoint, RedisNode> getNode)
    {
        var slots = new RedisNode?[RedisHashSlot.SlotCount];
        var masters = new List<RedisNode>();
        foreach (var range in clusterSlots.AsArray() ?? [])
        {
            // [start, end, [host, port, id, ...] (master), replicas...]
            var fields = range.AsArray()!;
            var master = fields[2].AsArray()!;
            var host = master[0].AsString();
            // Redis reports an unknown endpoint as null/""/"?": use the host we reached the answering node on.
            if (string.IsNullOrEmpty(host) || host == "?")
            {
                host = source.Endpoint.Host;
            }
            var node = getNode(new RedisEndpoint(host, (int)master[1].AsLong()));
            if (!masters.Contains(node))
            {
                masters.Add(node);
            }
            var end = Math.Min((int)fields[1].AsLong(), RedisHashSlot.SlotCount - 1);
            for (var slot = (int)fields[0].AsLong(); slot <= end; slot++)
            {
                slots[slot] = node;
            }
        }
        if (masters.Count == 0)
        {
            // No slots assigned yet (or CLUSTER SLOTS was not allowed): send everything to the node we know
            // and let MOVED replies fill the map.
            masters.Add(source);
        }
        return new Topology(true, slots, masters);
    }

    /// <summary>The node owning <paramref name="slot"/>, or any node for -1 (or a slot with no known owner).</summary>
    public RedisNode NodeFor(int slot) =>
        slot >= 0 && IsCluster && _slots[slot] is { } owner ? owner : AnyNode();

    public void Redirect(int slot, RedisNode node) => _slots[slot] = node;

    private RedisNode AnyNode()
    {
        if (Masters.Count == 1)
        {
            return Masters[0];
        }
        // Spread keyless commands over masters, preferring ones with a live connection.
        var start = (int)((uint)Interlocked.Increment(ref _roundRobin) % (uint)Masters.Count);
        for (var i = 0; i < Masters.Count; i++)
        {
            var node = Masters[(start + i) % Masters.Count];
            if (node.IsConnected)
            {
                return node;
            }
        }
        return Masters[start];
    }
}
