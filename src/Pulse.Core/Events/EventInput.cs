using Pulse.Core.Validation;

namespace Pulse.Core.Events;

/// <summary>The body of <c>POST /api/v1/events</c> as it arrives (fields may be missing).</summary>
public sealed record EventInput(string? Name, string? CampaignName, string? ExternalId, IReadOnlyList<PropertyInput?>? Properties);

/// <summary>A stored event's id and the campaign message of SPEC §3.</summary>
public sealed record EventSaved(long Id, string Message);

/// <summary>One item's result in a batch: its outcome, and either the saved event or the problem.</summary>
public sealed record EventBatchItem(int Index, OutcomeKind Outcome, long? Id, string? Message, Dictionary<string, string[]>? Errors);
