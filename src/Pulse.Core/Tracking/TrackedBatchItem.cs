namespace Pulse.Core.Tracking;

/// <summary>One item's result in a batch: its outcome and, for a rejected item, why.</summary>
public sealed record TrackedBatchItem(int Index, OutcomeKind Outcome, string? Message, Dictionary<string, string[]>? Errors);
