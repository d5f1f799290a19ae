using System.Diagnostics.Metrics;

namespace Pulse.Core.Caching;

/// <summary>
/// Cache hits and misses (meter <see cref="MeterName"/>): <c>pulse.cache.lookups</c>, tagged <c>cache</c> (user,
/// campaign:name, campaign:id, search) and <c>result</c>: <c>memory</c> or <c>shared</c> (Redis) for a hit,
/// <c>miss</c> when the database answered. Recorded only while something listens (the /metrics exporter).
/// </summary>
public static class CacheMetrics
{
    public const string MeterName = "Pulse.Caching";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Lookups = Meter.CreateCounter<long>("pulse.cache.lookups", "{lookup}", "Cache lookups by cache and result (memory, shared, miss)");

    /// <summary>The three results' tag pairs of one cache, made once.</summary>
    public sealed class Tags(string cache)
    {
        private readonly KeyValuePair<string, object?> _cache = new("cache", cache);
        private static readonly KeyValuePair<string, object?> Memory = new("result", "memory");
        private static readonly KeyValuePair<string, object?> Shared = new("result", "shared");
        private static readonly KeyValuePair<string, object?> Miss = new("result", "miss");

        public void MemoryHit() => Lookups.Add(1, _cache, Memory);

        public void SharedHit() => Lookups.Add(1, _cache, Shared);

        public void Missed() => Lookups.Add(1, _cache, Miss);
    }
}
