using Pulse.Core.Tracking;

namespace Pulse.Redis.Tracking;

/// <summary>
/// Names of the counter buckets: one sorted set per type and minute, <c>{prefix}stats:{yyyyMMddHHmm:FAMILY}:TYPE</c>.
/// The hash tag holds the minute and the type's family, and LIKE and UNLIKE share the LIKE family, so the one script
/// that touches both sets addresses one Redis Cluster slot, while other types and minutes spread over the cluster.
/// </summary>
public static class CounterKeys
{
    public static string Family(TrackedEventType set) => set == TrackedEventType.Unlike ? TrackedEventType.Like.ToWire() : set.ToWire();

    public static string Name(RedisClient redis, TrackedEventType set, DateTimeOffset minute) =>
        redis.Key(string.Concat("stats:{", CounterMinute.Name(minute), ":", Family(set), "}:", set.ToWire()));
}
