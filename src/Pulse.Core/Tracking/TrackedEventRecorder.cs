using Pulse.Core.Pipeline;

namespace Pulse.Core.Tracking;

/// <summary>
/// Stores and counts tracked events through a group-commit queue, so concurrent requests share transactions
/// and counter scripts. Invariants:
/// <list type="bullet">
/// <item>Without live counters (embedded), events and their counts commit in one database transaction:
/// counted exactly once, durably (the queue's atomic commit step).</item>
/// <item>With live counters (server), the events commit first (the atomic, retryable step), then the group's
/// counter updates go to the live counters once or, if they are unreachable, to the database's per-minute and
/// all-time tables (which the roll-up only ever adds to): every committed event is counted in exactly one
/// place. Counting is never retried through the commit step, which would store the events twice.</item>
/// <item>A request's task completes only when both steps did: callers acknowledge (201) after that and not
/// before.</item>
/// </list>
/// A process crash between the commit and the count leaves those events stored but uncounted; it never counts twice.
/// </summary>
public sealed class TrackedEventRecorder : ITrackedEventRecorder, IWritePipeline, IAsyncDisposable
{
    private readonly ITrackedEventStore _store;
    private readonly ILiveCounters? _live;
    private readonly GroupCommitQueue<TrackedEvent, bool> _queue;

    public TrackedEventRecorder(ITrackedEventStore store, ILiveCounters? live, GroupCommitOptions options, ICommitDurability? durability = null)
    {
        _store = store;
        _live = live;
        _queue = new GroupCommitQueue<TrackedEvent, bool>("tracked-events", CommitAsync, live is null ? null : CountAsync, options, durability);
    }

    public string Name => _queue.Name;

    public int QueueDepth => _queue.QueueDepth;

    public Task RecordAsync(IReadOnlyList<TrackedEvent> events, CancellationToken cancellationToken) =>
        events.Count == 0 ? Task.CompletedTask : _queue.EnqueueAsync(events);

    public Task DrainAsync() => _queue.DrainAsync();

    public ValueTask DisposeAsync() => _queue.DisposeAsync();

    private async Task<IReadOnlyList<bool>> CommitAsync(IReadOnlyList<TrackedEvent> events)
    {
        await _store.AppendAsync(events, _live is null ? CounterPlan.For(events) : [], CancellationToken.None);
        return new bool[events.Count];
    }

    private async Task CountAsync(IReadOnlyList<TrackedEvent> events)
    {
        var missed = await _live!.CountAsync(CounterPlan.For(events), CancellationToken.None);
        if (missed.Count > 0)
        {
            await _store.AppendAsync([], missed, CancellationToken.None);
        }
    }
}
