using Pulse.Core.Pipeline;

namespace Pulse.Core.Sdk;

/// <summary>
/// SDK messages through their own <see cref="GroupCommitQueue{TItem, TResult}"/> ("sdk"): many requests per
/// transaction, as CRM events, without changing the CRM queue's statements. Completion means committed.
/// </summary>
public sealed class SdkWriter(ISdkEventStore store, GroupCommitOptions options, ICommitDurability? durability = null) : IWritePipeline, IAsyncDisposable
{
    private readonly GroupCommitQueue<SdkWrite, long?> _queue =
        new("sdk", messages => store.AppendAsync(messages, CancellationToken.None), afterCommit: null, options, durability);

    public string Name => _queue.Name;

    public int QueueDepth => _queue.QueueDepth;

    /// <summary>Each message's event id, or null when its id was stored before (a duplicate: nothing changed).</summary>
    public Task<IReadOnlyList<long?>> WriteAsync(IReadOnlyList<SdkWrite> messages) => _queue.EnqueueAsync(messages);

    public Task DrainAsync() => _queue.DrainAsync();

    public ValueTask DisposeAsync() => _queue.DisposeAsync();
}
