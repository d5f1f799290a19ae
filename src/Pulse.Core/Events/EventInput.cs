using Pulse.Core.Validation;

namespace Pulse.Core.Events;

/// <summary>The body of <c>POST /api/v1/events</c> as it arrives (fields may be missing).</summary>
public sealed record EventInput(string? Name, string? CampaignName, string? ExternalId, IReadOnlyList<PropertyInput?>? Properties);
