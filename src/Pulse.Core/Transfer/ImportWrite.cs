using Pulse.Core.Events;

namespace Pulse.Core.Transfer;

/// <summary>
/// One imported event ready to store: stored only if no event with the same <see cref="Key"/> was imported before
/// (ever: import keys are kept), in the same transaction as the event.
/// </summary>
/// <param name="Key">The SHA-256 of the line's content (<see cref="ImportLine.Key"/>).</param>
/// <param name="Message">An SDK event's message as sent (JSON), or null.</param>
public sealed record ImportWrite(byte[] Key, EventWrite Event, string? Message, DateTimeOffset? SentAt, bool TimeClamped);

/// <summary>Where imported events are stored.</summary>
public interface IEventImportStore
{
    /// <summary>
    /// In ONE transaction: claims each key in <c>event_imports</c> and, for the keys not claimed before (earlier, by
    /// another instance or request, or earlier in this list), stores the event with its properties and campaign link.
    /// Returns, in input order, each event's id, or null for a duplicate. When the task faults, nothing was stored.
    /// </summary>
    Task<IReadOnlyList<long?>> ImportAsync(IReadOnlyList<ImportWrite> events, CancellationToken cancellationToken);
}
