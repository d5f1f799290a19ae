namespace Pulse.Core.Lifecycle;

/// <summary>
/// Durable erasures and suppressions. Every method is one short transaction (one chunk), so an erasure never holds
/// long locks; every deleting method adds what it removed to the erasure's counts in the same transaction. Running a
/// step again, or two instances running the same erasure, removes nothing twice and counts nothing twice.
/// </summary>
public interface IErasureStore
{
    /// <summary>
    /// Records the erasure (running) with the users it covers: the one with the external id and every user aliased to it;
    /// with <see cref="ErasureRequest.Suppress"/> also the suppression. One transaction.
    /// </summary>
    Task<ErasureStart> BeginAsync(ErasureRequest request, int countUpTo, CancellationToken cancellationToken);

    /// <summary>Removes up to <paramref name="limit"/> rows of <paramref name="step"/> for the erasure's users.</summary>
    Task<ErasureChunk> DeleteChunkAsync(Erasure erasure, ErasureStep step, int limit, CancellationToken cancellationToken);

    /// <summary>Removes the users rows and their alias links (and, where a foreign key needs it, events that arrived meanwhile).</summary>
    Task DeleteUsersAsync(Erasure erasure, CancellationToken cancellationToken);

    /// <summary>Marks the erasure completed, adds the recent keywords removed, and forgets the aliased external ids.</summary>
    Task<Erasure> CompleteAsync(Erasure erasure, long recentKeywords, DateTimeOffset now, CancellationToken cancellationToken);

    Task<Erasure?> FindAsync(long id, CancellationToken cancellationToken);

    /// <summary>Newest first, ids below <paramref name="before"/> when given.</summary>
    Task<IReadOnlyList<Erasure>> ListAsync(long? before, int limit, CancellationToken cancellationToken);

    Task<IReadOnlyList<Erasure>> UnfinishedAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<Suppression>> SuppressionsAsync(CancellationToken cancellationToken);

    /// <summary>Changes whenever a suppression is added or lifted: (count, highest id). Cheap; polled by every instance.</summary>
    Task<(long Count, long MaxId)> SuppressionsVersionAsync(CancellationToken cancellationToken);

    /// <returns>Whether a suppression was there.</returns>
    Task<bool> LiftSuppressionAsync(string externalId, CancellationToken cancellationToken);
}
