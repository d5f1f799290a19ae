namespace Pulse.Core.Events;

/// <summary>A validated event ready to be stored, optionally linked to a campaign in the same transaction.</summary>
public sealed record EventWrite(
    string Name,
    long UserId,
    string ExternalId,
    IReadOnlyList<Property> Properties,
    long? CampaignId,
    DateTimeOffset CreatedAt);
