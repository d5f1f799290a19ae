namespace Pulse.Core.Tracking;

/// <summary>
/// One roll-up pass: every closed bucket (its minute ended at least <see cref="Grace"/> ago) that is still within
/// the live counters' retention and has no marker is read from the live counters and committed to the database
/// with its marker. Correctness never depends on who runs a pass or how often: the commit claims each bucket's
/// marker and adds counts only for the buckets it claimed, so concurrent instances and retries after a crash
/// (before the commit: nothing was written; after: the marker exists) roll each bucket up exactly once.
/// Buckets stay in the live counters until they expire, for readers that saw them unrolled.
/// </summary>
public sealed class RollupService(IRollupStore store, ILiveCounters live, TimeProvider time, TimeSpan grace)
{
    /// <summary>Markers are kept this long past the retention window (tolerates clock skew between instances), then pruned.</summary>
    public static readonly TimeSpan MarkerRetentionMargin = TimeSpan.FromDays(1);

    public TimeSpan Grace { get; } = grace;

    public async Task<RollupPass> RunOnceAsync(CancellationToken cancellationToken)
    {
        var window = ClosedWindow(time.GetUtcNow(), Grace, live.Retention);
        var pending = await store.PendingAsync(window, cancellationToken);
        var rolledUp = 0;
        if (pending.Count > 0)
        {
            var contents = await live.ReadAsync(pending, cancellationToken);
            rolledUp = await store.CommitAsync(contents, cancellationToken);
        }

        await store.PruneAsync(window.From - MarkerRetentionMargin, cancellationToken);
        return new RollupPass(window, pending.Count, rolledUp);
    }

    /// <summary>
    /// The minutes a pass considers: closed ones (minute start + 1 min + grace ≤ now) whose buckets have not expired.
    /// </summary>
    public static MinuteWindow ClosedWindow(DateTimeOffset now, TimeSpan grace, TimeSpan retention)
    {
        var to = CounterMinute.Floor(now - grace);
        var from = CounterMinute.Ceiling(now - retention);
        return from < to ? new MinuteWindow(from, to) : new MinuteWindow(to, to);
    }
}

/// <summary>What one pass did: the minutes it looked at, the buckets it found pending and those it rolled up itself.</summary>
public sealed record RollupPass(MinuteWindow Window, int Pending, int RolledUp);
