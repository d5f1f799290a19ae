namespace Pulse.Core.Tracking;

/// <summary>The database side of tracking: the <c>tracked_events</c> table and the per-minute and all-time counts.</summary>
public interface ITrackedEventStore
{
    /// <summary>
    /// Stores <paramref name="events"/> and applies <paramref name="counts"/> to <c>stat_minutes</c> and <c>stat_totals</c>,
    /// all in one transaction: when the task completes, everything is committed; when it faults, nothing is.
    /// Either list may be empty.
    /// </summary>
    Task AppendAsync(IReadOnlyList<TrackedEvent> events, IReadOnlyList<CounterUpdate> counts, CancellationToken cancellationToken);
}
