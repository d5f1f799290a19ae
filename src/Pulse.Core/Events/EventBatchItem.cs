namespace Pulse.Core.Events;

/// <summary>One item's result in a batch: its outcome, and either the saved event or the problem.</summary>
public sealed record EventBatchItem(int Index, OutcomeKind Outcome, long? Id, string? Message, Dictionary<string, string[]>? Errors);
