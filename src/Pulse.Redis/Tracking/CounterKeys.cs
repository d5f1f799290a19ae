using Pulse.Core.Tracking;
using StackExchange.Redis;

namespace Pulse.Redis.Tracking;

/// <summary>
/// Names of the counter buckets: one sorted set per type and minute, <c>{prefix}stats:{yyyyMMddHHmm:FAMILY}:TYPE</c>.
/// The hash tag holds the minute and the type's family, and LIKE and UNLIKE share the LIKE family, so the one script
/// that touches both sets addresses one Redis Cluster slot, while other types and minutes spread over the cluster.
/// </summary>
public static class CounterKeys
{
    public static TrackedEventType FamilyOf(TrackedEventType set) => set == TrackedEventType.Unlike ? TrackedEventType.Like : set;

    public static string Family(TrackedEventType set) => FamilyOf(set).ToWire();

    public static RedisKey Name(RedisKeyspace redis, TrackedEventType set, DateTimeOffset minute) => Name(redis.Prefix("stats:{"u8), set, minute);

    /// <summary>The bucket's key after <paramref name="stats"/>, the keyspace's <c>stats:{</c> prefix.</summary>
    internal static RedisKey Name(RedisKey stats, TrackedEventType set, DateTimeOffset minute) =>
        stats.Append(string.Concat(CounterMinute.Name(minute), ":", Family(set), "}:", set.ToWire()));
}
