using Pulse.Api.Infrastructure;
using Pulse.Core;
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

public sealed record TrackedBatchView(IReadOnlyList<TrackedBatchItemView> Results, int Accepted, int Rejected)
{
    public static TrackedBatchView From(IReadOnlyList<TrackedBatchItem> items)
    {
        var views = new TrackedBatchItemView[items.Count];
        var accepted = 0;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            views[i] = new TrackedBatchItemView(item.Index, Problems.Status(item.Outcome), item.Message, item.Errors);
            accepted += item.Outcome == OutcomeKind.Ok ? 1 : 0;
        }

        return new TrackedBatchView(views, accepted, items.Count - accepted);
    }
}

/// <summary>One item's result in a batch: its HTTP status (201 or 400) and, for a rejected item, why.</summary>
public sealed record TrackedBatchItemView(int Index, int Status, string? Message, Dictionary<string, string[]>? Errors);
