using StackExchange.Redis;

namespace Pulse.Redis;

/// <summary>What counts as "Redis failed" for the adapters, which then fall back to the database instead of failing the request.</summary>
internal static class RedisFailures
{
    /// <summary>
    /// Unreachable or timed out (the command may have run), or answered with an error (e.g. CLUSTERDOWN during a
    /// failover, LOADING after a restart). Not the caller's own cancellation.
    /// </summary>
    public static bool Is(Exception exception) => exception is RedisException or RedisTimeoutException;
}
