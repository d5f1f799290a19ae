namespace Pulse.Core.Pipeline;

public sealed class GroupCommitOptions
{
    /// <summary>Events waiting to be committed before new writes are refused with 503.</summary>
    public int QueueCapacity { get; set; } = 20_000;

    /// <summary>The most events one transaction commits.</summary>
    public int MaxBatchEvents { get; set; } = 2_000;

    /// <summary>
    /// Writer loops, at most. On PostgreSQL each commits its own transaction; on SQLite one writes while another's
    /// commit is being synced (<see cref="ICommitDurability"/>).
    /// </summary>
    public int Writers { get; set; } = 2;

    /// <summary>
    /// Queued events needed before a commit starts while another is still running. Below it, events wait for
    /// the running commit and go into the next, bigger one: small concurrent commits cost more per event than
    /// they save in latency (measured: single-event requests at 64 connections, 19k/s with one commit at a time,
    /// 14.5k/s with two; 500-event batches, 38.7k events/s with one, 55k/s with two).
    /// </summary>
    public int ConcurrentCommitMinEvents { get; set; } = 256;
}
