namespace Pulse.Core.Events;

/// <summary>A stored event: <see cref="CreatedAt"/> is when Pulse received it, <see cref="Timestamp"/> the event's own time.</summary>
public sealed record StoredEvent(long Id, string Name, string ExternalId, IReadOnlyList<Property> Properties, DateTimeOffset CreatedAt, DateTimeOffset Timestamp);
