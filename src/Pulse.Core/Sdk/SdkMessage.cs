using System.Text.Json;

namespace Pulse.Core.Sdk;

/// <summary>
/// An SDK message as Pulse understands it, whichever protocol carried it (Segment's or PostHog's); built by the
/// protocol's reader, which has already checked its shape.
/// </summary>
/// <param name="MessageId">Segment's messageId or PostHog's uuid (assigned by the reader when absent).</param>
/// <param name="EventName">The stored event's name.</param>
/// <param name="ExternalId">The user the event belongs to (userId, else anonymousId; PostHog's distinct_id).</param>
/// <param name="Properties">The object flattened into the event's searchable properties.</param>
/// <param name="ExtraProperties">Rows added before the flattened ones (a page's name, a group's id).</param>
/// <param name="AliasOf">An id whose user is linked to <see cref="ExternalId"/>'s (alias, $create_alias, $anon_distinct_id).</param>
/// <param name="Raw">The message as sent.</param>
public sealed record SdkMessage(
    string MessageId,
    string EventName,
    string ExternalId,
    JsonElement? Properties,
    IReadOnlyList<Property>? ExtraProperties,
    string? SetAttributes,
    string? SetOnceAttributes,
    string? AliasOf,
    string? CampaignName,
    DateTimeOffset? Timestamp,
    DateTimeOffset? SentAt,
    string Raw);
