namespace Pulse.Core.Tracking;

/// <summary>
/// Stores and counts tracked events. Invariants:
/// <list type="bullet">
/// <item>Without live counters (embedded), events and their counts commit in one database transaction:
/// counted exactly once, durably.</item>
/// <item>With live counters (server), the events commit first, then each counter update goes to the live
/// counters or, if they are unreachable, to the database's per-minute and all-time tables (which the roll-up
/// only ever adds to), so every committed event is counted in exactly one place.</item>
/// <item>The task completes only when both steps did: callers acknowledge (201) after that and not before.</item>
/// </list>
/// A process crash between the commit and the count leaves those events stored but uncounted; it never counts twice.
/// </summary>
public sealed class TrackedEventRecorder(ITrackedEventStore store, ILiveCounters? live) : ITrackedEventRecorder
{
    public async Task RecordAsync(IReadOnlyList<TrackedEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        var counts = CounterPlan.For(events);
        if (live is null)
        {
            await store.AppendAsync(events, counts, cancellationToken);
            return;
        }

        await store.AppendAsync(events, [], cancellationToken);

        // The events are committed: count them even if the caller gives up now, or they would never be counted.
        var missed = await live.CountAsync(counts, CancellationToken.None);
        if (missed.Count > 0)
        {
            await store.AppendAsync([], missed, CancellationToken.None);
        }
    }
}
