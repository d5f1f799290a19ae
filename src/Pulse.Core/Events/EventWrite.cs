namespace Pulse.Core.Events;

/// <summary>A validated event ready to be stored, optionally linked to a campaign in the same transaction.</summary>
/// <remarks>
/// <see cref="CreatedAt"/> is when Pulse received the event (returned as <c>createdAt</c> and <c>receivedAt</c>);
/// <see cref="Timestamp"/> is the event's own time, which searches filter on. For the CRM API's events the two are the
/// same; an SDK message may carry an earlier time (a backfill, a device that was offline).
/// </remarks>
public sealed record EventWrite(
    string Name,
    long UserId,
    string ExternalId,
    IReadOnlyList<Property> Properties,
    long? CampaignId,
    DateTimeOffset CreatedAt)
{
    public DateTimeOffset Timestamp { get; init; } = CreatedAt;
}
