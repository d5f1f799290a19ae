namespace Pulse.Core.Retention;

/// <summary>
/// Removes expired data (docs/lifecycle.md, "Retention"). A pass removes, for each cutoff that is set, every row older
/// than it: events (by their own time, <c>event_time</c>) with their properties and campaign links, tracked events (by
/// <c>occurred_at</c>) and minute counters (by their minute). Totals are never touched. Work is done in small steps,
/// so ingestion never waits long behind it.
/// </summary>
public interface IRetentionStore
{
    /// <summary>
    /// Brings the store's layout in line with <paramref name="cutoffs"/> before the host serves requests: server mode
    /// partitions a table set by id range the first time its retention is set (docs/lifecycle.md); with nothing set,
    /// and in embedded mode, it does nothing.
    /// </summary>
    Task PrepareAsync(RetentionCutoffs cutoffs, CancellationToken cancellationToken);

    /// <summary>
    /// Runs one pass; <c>null</c> when another instance is running one (server mode runs one pass at a time across
    /// instances). Also starts the store's next partition range when <paramref name="now"/> ends a period, where it has ranges.
    /// </summary>
    Task<RetentionPass?> ExpireAsync(RetentionCutoffs cutoffs, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>What a pass removes: rows strictly older than each cutoff; <c>null</c> keeps everything of that kind.</summary>
public sealed record RetentionCutoffs(DateTimeOffset? Events, DateTimeOffset? TrackedEvents, DateTimeOffset? StatMinutes)
{
    /// <summary>
    /// How long one partition range covers where the store partitions by ingestion period (server mode); <c>null</c>
    /// lets the store choose from the time kept (docs/lifecycle.md).
    /// </summary>
    public TimeSpan? PartitionPeriod { get; init; }

    public static RetentionCutoffs None { get; } = new(null, null, null);
}

/// <summary>What one pass removed: rows per kind, and whole partitions dropped (server mode).</summary>
public sealed record RetentionPass(long Events, long TrackedEvents, long StatMinutes, int PartitionsDropped, int PartitionsCreated)
{
    public static RetentionPass Nothing { get; } = new(0, 0, 0, 0, 0);
}
