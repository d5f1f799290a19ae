using Pulse.Core.Tracking;

namespace Pulse.Api.Tracking;

/// <summary>An accepted event as stored, with the server's timestamp that decided its minute bucket.</summary>
public sealed record TrackedEventView(string EventType, long? UserId, string SessionId, TrackedEventMetadataView Metadata, DateTimeOffset OccurredAt)
{
    public static TrackedEventView From(TrackedEvent tracked) => new(
        tracked.Type.ToWire(),
        tracked.UserId,
        tracked.SessionId,
        new TrackedEventMetadataView(tracked.ComponentId, tracked.ElementId, tracked.Keyword, tracked.PostId),
        tracked.OccurredAt);
}

public sealed record TrackedEventMetadataView(long ComponentId, string? ElementId, string? Keyword, long? PostId);

public sealed record TrackedBatchView(IReadOnlyList<TrackedBatchItem> Results, int Accepted, int Rejected);
