namespace Pulse.Core.Tracking;

/// <summary>
/// The live per-minute counter buckets (Redis sorted sets in server mode; embedded mode has none and counts in
/// the database). Buckets live for <see cref="Retention"/> after their minute and are never deleted earlier,
/// so a reader that saw a bucket unrolled can still read it.
/// </summary>
public interface ILiveCounters
{
    /// <summary>How long a bucket is kept after its minute; older minutes can only be read from the database.</summary>
    TimeSpan Retention { get; }

    /// <summary>
    /// Applies the updates, each atomically. Returns the updates that were not applied because the counters are
    /// unreachable (the caller counts those in the database instead); never throws for an outage.
    /// </summary>
    Task<IReadOnlyList<CounterUpdate>> CountAsync(IReadOnlyList<CounterUpdate> updates, CancellationToken cancellationToken);

    /// <summary>The member's count summed over <paramref name="minutes"/>.</summary>
    /// <exception cref="LiveCountersUnavailableException">The counters cannot be read right now.</exception>
    Task<long> SumAsync(TrackedEventType set, CounterMember member, IReadOnlyList<DateTimeOffset> minutes, CancellationToken cancellationToken);

    /// <summary>SEARCH counts per keyword, across components, summed over <paramref name="minutes"/>.</summary>
    /// <exception cref="LiveCountersUnavailableException">The counters cannot be read right now.</exception>
    Task<IReadOnlyDictionary<string, long>> SumKeywordsAsync(IReadOnlyList<DateTimeOffset> minutes, CancellationToken cancellationToken);

    /// <summary>Every member of each bucket with a positive count (a bucket that never existed or expired is empty).</summary>
    /// <exception cref="LiveCountersUnavailableException">The counters cannot be read right now.</exception>
    Task<IReadOnlyList<BucketContents>> ReadAsync(IReadOnlyList<CounterBucket> buckets, CancellationToken cancellationToken);
}

/// <summary>The live counters could not be reached or answered in time.</summary>
public sealed class LiveCountersUnavailableException : Exception
{
    public LiveCountersUnavailableException()
    {
    }

    public LiveCountersUnavailableException(string message) : base(message)
    {
    }

    public LiveCountersUnavailableException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
