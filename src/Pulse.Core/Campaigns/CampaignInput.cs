using Pulse.Core.Validation;

namespace Pulse.Core.Campaigns;

public sealed record CampaignInput(string? Name, IReadOnlyList<PropertyInput?>? Properties);
