namespace Pulse.Core.Transfer;

/// <summary>
/// A CRM event as the export writes it: its properties as stored (the JSON list, written out as an object), the
/// campaign it is linked to by name (ids differ between databases), and an SDK message's extra columns.
/// </summary>
public sealed record ExportedEvent(
    long Id,
    string Name,
    string ExternalId,
    string PropertiesJson,
    DateTimeOffset EventTime,
    DateTimeOffset ReceivedAt,
    string? Campaign,
    string? Message,
    DateTimeOffset? SentAt,
    bool TimeClamped);
