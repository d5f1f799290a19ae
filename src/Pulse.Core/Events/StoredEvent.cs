namespace Pulse.Core.Events;

public sealed record StoredEvent(long Id, string Name, string ExternalId, IReadOnlyList<Property> Properties, DateTimeOffset CreatedAt);
