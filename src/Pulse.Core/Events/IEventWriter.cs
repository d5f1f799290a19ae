namespace Pulse.Core.Events;

/// <summary>
/// Where the event service hands validated events. Completion means committed: the returned ids belong to
/// rows that are durable. A failure means none of the given events was stored.
/// </summary>
public interface IEventWriter
{
    Task<IReadOnlyList<long>> WriteAsync(IReadOnlyList<EventWrite> events, CancellationToken cancellationToken);
}
