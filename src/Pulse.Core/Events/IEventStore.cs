namespace Pulse.Core.Events;

public interface IEventStore
{
    /// <summary>
    /// Stores the events, their properties and campaign links in ONE transaction: when the returned task
    /// completes, every row is committed; when it faults, none is. Ids are returned in input order.
    /// </summary>
    Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<EventWrite> events, CancellationToken cancellationToken);

    /// <summary>Runs the search as one parameterised query.</summary>
    Task<IReadOnlyList<StoredEvent>> SearchAsync(EventQuery query, CancellationToken cancellationToken);
}
