namespace Pulse.Core.Posts;

/// <summary>
/// How long search results live (SPEC §4): 60 s plus 0–10 s of random jitter, so keywords cached together do not
/// all expire together; an empty result 30 s plus jitter. Because likes change the order, a cached answer can be
/// up to <see cref="MaxStaleness"/> older than the database.
/// </summary>
public static class SearchCachePolicy
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan EmptyTimeToLive = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxJitter = TimeSpan.FromSeconds(10);

    /// <summary>The oldest a served result can be, counted from the database query that produced it.</summary>
    public static TimeSpan MaxStaleness => TimeToLive + MaxJitter;

    /// <summary>A lifetime in [base, base + 10 s) for <paramref name="resultCount"/> results; <paramref name="uniform"/> is in [0, 1).</summary>
    public static TimeSpan LifetimeFor(int resultCount, double uniform)
    {
        var lifetime = resultCount == 0 ? EmptyTimeToLive : TimeToLive;
        // Whole milliseconds: Redis expiries are in milliseconds, and both modes should behave the same.
        return lifetime + TimeSpan.FromMilliseconds(Math.Floor(MaxJitter.TotalMilliseconds * Math.Clamp(uniform, 0, Math.BitDecrement(1.0))));
    }
}
