using System.Threading.Channels;
using Pulse.Core.Events;

namespace Pulse.Core.Pipeline;

/// <summary>
/// Group commit: requests queue their events and a few writer loops commit whatever has queued up, many
/// requests per transaction. No timer adds latency: while one transaction commits, the next batch gathers.
///
/// Invariants (what a caller may rely on):
/// 1. A request's task completes successfully only after the transaction holding ALL its rows committed;
///    the ids it gets are those rows'. A request's rows are never split across transactions.
/// 2. When a combined transaction fails, it is retried one request per transaction, so a row the database
///    rejects fails only the request it belongs to and every other request still commits once.
/// 3. A failure reaches the caller as the store's exception (nothing half-written: the transaction rolled
///    back). A full queue is refused at once with <see cref="WriteQueueFullException"/>, so memory is bounded.
/// 4. <see cref="DrainAsync"/> (on shutdown) stops intake and returns once every queued request is settled.
/// </summary>
public sealed class GroupCommitEventWriter : IEventWriter, IAsyncDisposable
{
    private readonly IEventStore _store;
    private readonly GroupCommitOptions _options;
    private readonly Channel<PendingWrite> _queue;
    private readonly Task[] _writers;
    private int _queuedEvents;

    public GroupCommitEventWriter(IEventStore store, GroupCommitOptions options)
    {
        _store = store;
        _options = options;
        _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = options.Writers == 1 });
        _writers = new Task[Math.Max(1, options.Writers)];
        for (var i = 0; i < _writers.Length; i++)
        {
            _writers[i] = Task.Run(RunAsync);
        }
    }

    /// <summary>Events queued and not yet settled (a pipeline metric).</summary>
    public int QueueDepth => Volatile.Read(ref _queuedEvents);

    public Task<IReadOnlyList<long>> WriteAsync(IReadOnlyList<EventWrite> events, CancellationToken cancellationToken)
    {
        // Capacity is counted in events, not requests, so large batches count for what they are.
        if (Interlocked.Add(ref _queuedEvents, events.Count) > _options.QueueCapacity)
        {
            Interlocked.Add(ref _queuedEvents, -events.Count);
            throw new WriteQueueFullException();
        }

        // Cancellation is deliberately not observed once queued: the write may already be in a transaction,
        // and the caller learns its fate either way.
        var pending = new PendingWrite(events);
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Add(ref _queuedEvents, -events.Count);
            throw new WriteQueueFullException();
        }

        return pending.Completion.Task;
    }

    public async Task DrainAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    public ValueTask DisposeAsync() => new(DrainAsync());

    private async Task RunAsync()
    {
        var batch = new List<PendingWrite>();
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            var events = 0;
            while (events < _options.MaxBatchEvents && reader.TryRead(out var pending))
            {
                batch.Add(pending);
                events += pending.Events.Count;
            }

            if (batch.Count > 0)
            {
                await CommitAsync(batch, events);
                Interlocked.Add(ref _queuedEvents, -events);
                batch.Clear();
            }
        }
    }

    private async Task CommitAsync(List<PendingWrite> batch, int eventCount)
    {
        if (batch.Count == 1)
        {
            await CommitOneAsync(batch[0]);
            return;
        }

        var combined = new List<EventWrite>(eventCount);
        foreach (var pending in batch)
        {
            combined.AddRange(pending.Events);
        }

        IReadOnlyList<long> ids;
        try
        {
            ids = await _store.AppendAsync(combined, CancellationToken.None);
        }
        catch (Exception)
        {
            // Isolate the failure: each request gets its own transaction and its own outcome.
            foreach (var pending in batch)
            {
                await CommitOneAsync(pending);
            }

            return;
        }

        var offset = 0;
        foreach (var pending in batch)
        {
            var count = pending.Events.Count;
            var own = new long[count];
            for (var i = 0; i < count; i++)
            {
                own[i] = ids[offset + i];
            }

            offset += count;
            pending.Completion.TrySetResult(own);
        }
    }

    private async Task CommitOneAsync(PendingWrite pending)
    {
        try
        {
            pending.Completion.TrySetResult(await _store.AppendAsync(pending.Events, CancellationToken.None));
        }
        catch (Exception exception)
        {
            pending.Completion.TrySetException(exception);
        }
    }

    private sealed class PendingWrite(IReadOnlyList<EventWrite> events)
    {
        public IReadOnlyList<EventWrite> Events { get; } = events;

        public TaskCompletionSource<IReadOnlyList<long>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
