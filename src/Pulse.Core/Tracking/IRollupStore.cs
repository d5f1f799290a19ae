namespace Pulse.Core.Tracking;

/// <summary>
/// The database side of the roll-up. A bucket is rolled up when its marker row exists in <c>stat_rollups</c>;
/// the marker is inserted in the same transaction as the bucket's counts, so a bucket is counted exactly once
/// whatever crashes or runs concurrently.
/// </summary>
public interface IRollupStore
{
    /// <summary>Buckets (every type) of the minutes in <paramref name="window"/> that are not rolled up yet.</summary>
    Task<IReadOnlyList<CounterBucket>> PendingAsync(MinuteWindow window, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: inserts each bucket's marker and, only for markers that did not exist yet, adds the
    /// bucket's counts to <c>stat_minutes</c> and <c>stat_totals</c>. Returns how many buckets this call rolled up.
    /// </summary>
    Task<int> CommitAsync(IReadOnlyList<BucketContents> buckets, CancellationToken cancellationToken);

    /// <summary>Deletes markers of minutes before <paramref name="before"/> (whose buckets expired long ago).</summary>
    Task PruneAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
