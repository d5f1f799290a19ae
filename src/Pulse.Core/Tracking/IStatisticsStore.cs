namespace Pulse.Core.Tracking;

/// <summary>
/// Reads the database's counts. "Live" minutes are the part of a window whose buckets may still be in the live
/// counters; of those, the store reports which are rolled up (have a marker), in the same snapshot as the counts,
/// so the caller adds live buckets only for the others and nothing is counted twice.
/// </summary>
public interface IStatisticsStore
{
    /// <summary>The member's <c>stat_minutes</c> rows summed over <paramref name="window"/>, and the rolled-up minutes of <paramref name="live"/>.</summary>
    Task<StoredCount> CountAsync(TrackedEventType set, CounterMember member, MinuteWindow window, MinuteWindow live, CancellationToken cancellationToken);

    /// <summary>
    /// The <paramref name="limit"/> most searched keywords over <paramref name="window"/>, adding what
    /// <paramref name="readLive"/> returns for the minutes of <paramref name="live"/> that are not rolled up
    /// (it is called once, inside the store's read snapshot, when there are such minutes).
    /// </summary>
    Task<IReadOnlyList<KeywordCount>> TopKeywordsAsync(
        MinuteWindow window, int limit, MinuteWindow live, LiveKeywordReader readLive, CancellationToken cancellationToken);

    /// <summary>
    /// The <c>stat_minutes</c> rows of <paramref name="set"/> that <paramref name="filter"/> matches, summed per minute
    /// of <paramref name="window"/> (minutes without rows are absent), and the rolled-up minutes of <paramref name="live"/>.
    /// </summary>
    Task<StoredSeries> SeriesAsync(TrackedEventType set, CounterFilter filter, MinuteWindow window, MinuteWindow live, CancellationToken cancellationToken);
}

/// <summary>Database counts per minute and the minutes (of the live part of the window) that are already rolled up.</summary>
public sealed record StoredSeries(IReadOnlyDictionary<DateTimeOffset, long> Counts, IReadOnlySet<DateTimeOffset> RolledUp);

public delegate Task<IReadOnlyDictionary<string, long>> LiveKeywordReader(IReadOnlyList<DateTimeOffset> minutes, CancellationToken cancellationToken);

/// <summary>A database count and the minutes (of the live part of the window) that are already rolled up.</summary>
public sealed record StoredCount(long Count, IReadOnlySet<DateTimeOffset> RolledUp);

