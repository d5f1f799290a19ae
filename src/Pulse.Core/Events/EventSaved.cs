namespace Pulse.Core.Events;

/// <summary>A stored event's id and the campaign message of SPEC §3.</summary>
public sealed record EventSaved(long Id, string Message);
