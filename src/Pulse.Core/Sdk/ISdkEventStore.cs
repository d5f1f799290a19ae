namespace Pulse.Core.Sdk;

/// <summary>Where SDK messages are stored, deduplicated by message id.</summary>
public interface ISdkEventStore
{
    /// <summary>
    /// In ONE transaction: claims each message id (a unique key with its receive time) and, for the ids not claimed
    /// before, stores the event with its properties and campaign link, merges the user's attributes and records the
    /// alias. A message whose id is already stored (earlier, by another instance, by a concurrent request, or earlier
    /// in this list) changes nothing. Returns, in input order, each event's id, or null for a duplicate. When the task
    /// faults, nothing was stored.
    /// </summary>
    Task<IReadOnlyList<long?>> AppendAsync(IReadOnlyList<SdkWrite> messages, CancellationToken cancellationToken);

    /// <summary>Forgets message ids received before <paramref name="before"/>, in small transactions; returns how many.</summary>
    Task<long> DeleteMessageIdsBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
