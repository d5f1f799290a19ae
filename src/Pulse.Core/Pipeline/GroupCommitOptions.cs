namespace Pulse.Core.Pipeline;

public sealed class GroupCommitOptions
{
    /// <summary>Events waiting to be committed before new writes are refused with 503.</summary>
    public int QueueCapacity { get; set; } = 20_000;

    /// <summary>The most events one transaction commits.</summary>
    public int MaxBatchEvents { get; set; } = 2_000;

    /// <summary>Concurrent committing transactions (1 for SQLite, which has one writer anyway).</summary>
    public int Writers { get; set; } = 2;
}
