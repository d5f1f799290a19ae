namespace Pulse.Core.Events;

/// <summary>A stored event: <see cref="CreatedAt"/> is when Pulse received it, <see cref="Timestamp"/> the event's own time.</summary>
public sealed record StoredEvent(long Id, string Name, string ExternalId, IReadOnlyList<Property> Properties, DateTimeOffset CreatedAt, DateTimeOffset Timestamp)
{
    /// <summary>An SDK message as sent (JSON); null for the CRM API's events.</summary>
    public string? Message { get; init; }

    /// <summary>The SDK client's clock when it sent the message, if it said.</summary>
    public DateTimeOffset? SentAt { get; init; }

    /// <summary>The message's time was more than a day ahead, so <see cref="Timestamp"/> is the receive time.</summary>
    public bool TimeClamped { get; init; }
}
