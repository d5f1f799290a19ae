using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;

namespace Pulse.Core.Pipeline;

/// <summary>
/// Group commit: requests queue their items and a few writer loops commit whatever has queued up, many
/// requests per transaction. No timer adds latency: while one transaction commits, the next batch gathers.
///
/// Invariants (what a caller may rely on):
/// 1. A request's task completes successfully only after the commit holding ALL its items succeeded (and the
///    after-commit step, when there is one); the results it gets are its own items'. A request's items are
///    never split across commits.
/// 2. The commit step is atomic (all items or none). When the database REJECTS a combined commit (a
///    non-transient error: the statement failed and rolled back), it is retried one request per commit, so
///    an item the database rejects fails only the request it belongs to and every other request still
///    commits exactly once. A transient failure (outage, lost connection) leaves the outcome unknown - the
///    commit may have happened - so it is never retried: the group's requests fail (503) and nothing is
///    stored twice.
/// 3. The after-commit step runs once per committed group and is never retried (its items are committed
///    already; retrying the commit would store them twice). If it fails, the group's requests fail. Groups
///    run it in the order they were taken from the queue (counts with a floor, such as LIKE then UNLIKE, are
///    order-sensitive), while the next group's commit already runs.
/// 4. A full queue is refused at once with <see cref="WriteQueueFullException"/>, so memory stays bounded and
///    callers answer 503 instead of waiting.
/// 5. <see cref="DrainAsync"/> (on shutdown) stops intake and returns once every queued request is settled.
///
/// Concurrency: one commit runs whenever anything is queued. A second (up to <see cref="GroupCommitOptions.Writers"/>)
/// starts only when at least <see cref="GroupCommitOptions.ConcurrentCommitMinEvents"/> events are waiting;
/// otherwise they wait for the running commit and join the next one, so light load gets few, full commits and
/// heavy batch load gets overlapping ones.
///
/// Durability: with an <see cref="ICommitDurability"/> (the embedded store), commits return once written and the
/// writer waits for them to become durable after it gave its slot back, so the next group's transaction is
/// written while this group's is synced; requests are still answered only once durable (invariant 1).
///
/// Metrics (meter <see cref="MeterName"/>, tag <c>queue</c>): events per commit, time per commit, queue depth and
/// events committed (<c>pulse.events.ingested</c>), on /metrics or e.g.
/// <c>dotnet-counters monitor -n Pulse.Api --counters Pulse.Pipeline</c>.
/// </summary>
public sealed class GroupCommitQueue<TItem, TResult> : IWritePipeline, IAsyncDisposable
{
    private readonly Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> _commit;
    private readonly Func<IReadOnlyList<TItem>, Task>? _afterCommit;
    private readonly ICommitDurability? _durability;
    private readonly GroupCommitOptions _options;
    private readonly Channel<Pending> _queue;
    private readonly Task[] _writers;
    private int _queuedItems;   // queued or being committed: what the capacity bounds
    private int _waitingItems;  // queued and not yet taken by a writer: what may start a concurrent commit
    private int _committing;
    private TaskCompletionSource _progress = NewSignal();
    private Task _lastAfterCommit = Task.CompletedTask;
    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<int> _batchEvents;
    private readonly Histogram<double> _commitDuration;
    private readonly Counter<long> _ingested;
    private readonly KeyValuePair<string, object?> _queueTag;

    public GroupCommitQueue(
        string name,
        Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> commit,
        Func<IReadOnlyList<TItem>, Task>? afterCommit,
        GroupCommitOptions options,
        ICommitDurability? durability = null)
    {
        Name = name;
        _queueTag = new("queue", name);
        _batchEvents = _meter.CreateHistogram<int>(
            "pulse.pipeline.batch.events", "{event}", "Events in one commit (several requests' events share one)");
        _commitDuration = _meter.CreateHistogram<double>(
            "pulse.pipeline.commit.duration", "s", "From taking a batch off the queue to its commit's outcome");
        _ingested = _meter.CreateCounter<long>(
            "pulse.events.ingested", "{event}", "Events committed, by kind (the queue: events = CRM events, tracked-events)");
        _meter.CreateObservableGauge(
            "pulse.pipeline.queue.depth", () => new Measurement<int>(QueueDepth, _queueTag), "{event}", "Events queued or being committed");
        _commit = commit;
        _afterCommit = afterCommit;
        _durability = durability;
        _options = options;
        _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = options.Writers == 1 });
        _writers = new Task[Math.Max(1, options.Writers)];
        for (var i = 0; i < _writers.Length; i++)
        {
            _writers[i] = Task.Run(RunAsync);
        }
    }

    /// <summary>The meter of every queue's instruments; each queue tags its measurements with its name.</summary>
    public const string MeterName = "Pulse.Pipeline";

    public string Name { get; }

    public int QueueDepth => Volatile.Read(ref _queuedItems);

    public Task<IReadOnlyList<TResult>> EnqueueAsync(IReadOnlyList<TItem> items)
    {
        // Capacity counts items, not requests, so large batches count for what they are.
        if (Interlocked.Add(ref _queuedItems, items.Count) > _options.QueueCapacity)
        {
            Interlocked.Add(ref _queuedItems, -items.Count);
            throw new WriteQueueFullException();
        }

        // Once queued, a request is not cancellable: it may already be in a transaction, and its caller
        // learns the outcome either way.
        var pending = new Pending(items);
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Add(ref _queuedItems, -items.Count);
            throw new WriteQueueFullException();
        }

        // The request that lifts the waiting events over the threshold (exactly one sees the crossing) wakes a
        // writer waiting for it.
        var waiting = Interlocked.Add(ref _waitingItems, items.Count);
        if (waiting >= _options.ConcurrentCommitMinEvents && waiting - items.Count < _options.ConcurrentCommitMinEvents)
        {
            Signal();
        }

        return pending.Completion.Task;
    }

    public async Task DrainAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
        _meter.Dispose();
    }

    public ValueTask DisposeAsync() => new(DrainAsync());

    private async Task RunAsync()
    {
        var batch = new List<Pending>();
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            if (!await TryStartCommitAsync())
            {
                continue;
            }

            var items = 0;
            while (items < _options.MaxBatchEvents && reader.TryRead(out var pending))
            {
                batch.Add(pending);
                items += pending.Items.Count;
            }

            Interlocked.Add(ref _waitingItems, -items);
            if (batch.Count == 0)
            {
                // Another writer took what woke this one. Taking an after-commit ticket now would make this
                // writer wait for that writer's after-commit step before it could commit anything again.
                ReleaseCommitSlot();
                continue;
            }

            // A ticket in queue order, taken while holding the slot: after-commit steps run in this order.
            var afterCommitDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var previousAfterCommit = Interlocked.Exchange(ref _lastAfterCommit, afterCommitDone.Task);
            List<Committed> committed = [];
            try
            {
                var started = Stopwatch.GetTimestamp();
                committed = await CommitAllAsync(batch, items);
                _commitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, _queueTag);
                _batchEvents.Record(items, _queueTag);
            }
            catch
            {
                afterCommitDone.TrySetResult(); // never leave later groups waiting for this one
                throw;
            }
            finally
            {
                // The slot covers the database commit only: the next commit may start while this group's
                // after-commit step (counting) runs.
                ReleaseCommitSlot();
            }

            try
            {
                if (_durability is not null && committed.Count > 0 && !await TryMakeDurableAsync(committed))
                {
                    committed = [];
                }

                foreach (var unit in committed)
                {
                    _ingested.Add(unit.Items.Count, _queueTag); // committed and durable
                }

                await previousAfterCommit;
                foreach (var unit in committed)
                {
                    await CompleteAsync(unit);
                }
            }
            finally
            {
                afterCommitDone.TrySetResult();
                Interlocked.Add(ref _queuedItems, -items);
                batch.Clear();
            }
        }
    }

    /// <summary>
    /// Claims a commit slot: at once when no commit runs, otherwise once enough events wait (see the class
    /// remarks). False when the queue was emptied meanwhile; the caller goes back to waiting for items.
    /// </summary>
    private async Task<bool> TryStartCommitAsync()
    {
        while (true)
        {
            // Read the signal before checking, so a commit finishing after the check still wakes this writer.
            var progress = Volatile.Read(ref _progress).Task;
            if (Interlocked.CompareExchange(ref _committing, 1, 0) == 0)
            {
                return true;
            }

            var running = Volatile.Read(ref _committing);
            if (running < _writers.Length && Volatile.Read(ref _waitingItems) >= _options.ConcurrentCommitMinEvents)
            {
                if (Interlocked.CompareExchange(ref _committing, running + 1, running) == running)
                {
                    return true;
                }

                continue;
            }

            await progress;
            if (!_queue.Reader.TryPeek(out _))
            {
                return false;
            }
        }
    }

    /// <summary>Gives back the slot <see cref="TryStartCommitAsync"/> claimed and wakes the writers waiting for one.</summary>
    private void ReleaseCommitSlot()
    {
        Interlocked.Decrement(ref _committing);
        Signal();
    }

    /// <summary>Wakes writers waiting in <see cref="TryStartCommitAsync"/> to look again.</summary>
    private void Signal() => Interlocked.Exchange(ref _progress, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Commits the batch: all of it in one commit, or after a definite rejection each request alone. Requests
    /// whose commit failed are settled here; the committed groups are returned for their after-commit step.
    /// </summary>
    private async Task<List<Committed>> CommitAllAsync(List<Pending> batch, int itemCount)
    {
        if (batch.Count == 1)
        {
            return await TryCommitOneAsync(batch[0]) is { } one ? [one] : [];
        }

        var combined = new List<TItem>(itemCount);
        foreach (var pending in batch)
        {
            combined.AddRange(pending.Items);
        }

        try
        {
            return [new Committed(combined, [.. batch], await CommitAsync(combined))];
        }
        catch (Exception exception) when (DatabaseFailures.IsUnavailable(exception))
        {
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(exception);
            }

            return [];
        }
        catch (Exception)
        {
            // A definite rejection: isolate it, each request gets its own commit and its own outcome.
            var committed = new List<Committed>(batch.Count);
            foreach (var pending in batch)
            {
                if (await TryCommitOneAsync(pending) is { } one)
                {
                    committed.Add(one);
                }
            }

            return committed;
        }
    }

    private async Task<Committed?> TryCommitOneAsync(Pending pending)
    {
        try
        {
            return new Committed(pending.Items, [pending], await CommitAsync(pending.Items));
        }
        catch (Exception exception)
        {
            pending.Completion.TrySetException(exception);
            return null;
        }
    }

    private Task<IReadOnlyList<TResult>> CommitAsync(IReadOnlyList<TItem> items) =>
        _durability is null ? _commit(items) : _durability.DeferAsync(() => _commit(items));

    /// <summary>
    /// Waits until the groups' commits are durable. If they cannot be made so, their requests fail like a commit
    /// whose outcome is unknown (the transaction is in the log, its durability is not).
    /// </summary>
    private async Task<bool> TryMakeDurableAsync(List<Committed> committed)
    {
        try
        {
            await _durability!.WhenDurableAsync();
            return true;
        }
        catch (Exception exception)
        {
            foreach (var unit in committed)
            {
                foreach (var pending in unit.Group)
                {
                    pending.Completion.TrySetException(exception);
                }
            }

            return false;
        }
    }

    /// <summary>Runs a committed group's after-commit step, then hands each request its own results.</summary>
    private async Task CompleteAsync(Committed unit)
    {
        if (!await TryAfterCommitAsync(unit.Items, unit.Group))
        {
            return;
        }

        var offset = 0;
        foreach (var pending in unit.Group)
        {
            var count = pending.Items.Count;
            var own = new TResult[count];
            for (var i = 0; i < count; i++)
            {
                own[i] = unit.Results[offset + i];
            }

            offset += count;
            pending.Completion.TrySetResult(own);
        }
    }

    private async Task<bool> TryAfterCommitAsync(IReadOnlyList<TItem> items, List<Pending> group)
    {
        if (_afterCommit is null)
        {
            return true;
        }

        try
        {
            await _afterCommit(items);
            return true;
        }
        catch (Exception exception)
        {
            foreach (var pending in group)
            {
                pending.Completion.TrySetException(exception);
            }

            return false;
        }
    }

    private sealed record Committed(IReadOnlyList<TItem> Items, List<Pending> Group, IReadOnlyList<TResult> Results);

    private sealed class Pending(IReadOnlyList<TItem> items)
    {
        public IReadOnlyList<TItem> Items { get; } = items;

        public TaskCompletionSource<IReadOnlyList<TResult>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>A write queue the host drains on shutdown and reports in its metrics.</summary>
public interface IWritePipeline
{
    string Name { get; }

    int QueueDepth { get; }

    Task DrainAsync();
}
