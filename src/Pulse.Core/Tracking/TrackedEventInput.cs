namespace Pulse.Core.Tracking;

/// <summary>The body of <c>POST /api/events</c> as it arrives (fields may be missing).</summary>
public sealed record TrackedEventInput(string? EventType, long? UserId, string? SessionId, TrackedEventMetadataInput? Metadata);

public sealed record TrackedEventMetadataInput(long? ComponentId, string? ElementId, string? Keyword, long? PostId);
