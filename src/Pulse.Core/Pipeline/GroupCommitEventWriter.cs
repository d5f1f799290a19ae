using Pulse.Core.Events;

namespace Pulse.Core.Pipeline;

/// <summary>CRM events through a <see cref="GroupCommitQueue{TItem, TResult}"/>: many requests per transaction.</summary>
public sealed class GroupCommitEventWriter(IEventStore store, GroupCommitOptions options, ICommitDurability? durability = null) : IEventWriter, IWritePipeline, IAsyncDisposable
{
    private readonly GroupCommitQueue<EventWrite, long> _queue =
        new("events", events => store.AppendAsync(events, CancellationToken.None), afterCommit: null, options, durability);

    public string Name => _queue.Name;

    public int QueueDepth => _queue.QueueDepth;

    public Task<IReadOnlyList<long>> WriteAsync(IReadOnlyList<EventWrite> events, CancellationToken cancellationToken) =>
        _queue.EnqueueAsync(events);

    public Task DrainAsync() => _queue.DrainAsync();

    public ValueTask DisposeAsync() => _queue.DisposeAsync();
}
