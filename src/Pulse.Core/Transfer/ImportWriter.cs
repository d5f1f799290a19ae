using Pulse.Core.Pipeline;

namespace Pulse.Core.Transfer;

/// <summary>
/// Imported events through their own <see cref="GroupCommitQueue{TItem, TResult}"/> ("import"). An import enqueues
/// one batch at a time and waits for its commit before reading on, so it never holds more than one batch of the
/// writer's time ahead of live ingestion's requests. Completion means committed (and, embedded, synced).
/// </summary>
public sealed class ImportWriter(IEventImportStore store, GroupCommitOptions options, ICommitDurability? durability = null) : IWritePipeline, IAsyncDisposable
{
    private readonly GroupCommitQueue<ImportWrite, long?> _queue =
        new("import", events => store.ImportAsync(events, CancellationToken.None), afterCommit: null, options, durability);

    public string Name => _queue.Name;

    public int QueueDepth => _queue.QueueDepth;

    /// <summary>Each event's id, or null when its key was imported before (a duplicate: nothing changed).</summary>
    public Task<IReadOnlyList<long?>> WriteAsync(IReadOnlyList<ImportWrite> events) => _queue.EnqueueAsync(events);

    public Task DrainAsync() => _queue.DrainAsync();

    public ValueTask DisposeAsync() => _queue.DisposeAsync();
}
