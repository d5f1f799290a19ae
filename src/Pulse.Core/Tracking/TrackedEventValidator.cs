using Pulse.Core.Validation;

namespace Pulse.Core.Tracking;

/// <summary>The rules of SPEC §4 for tracked events; a valid input becomes a <see cref="TrackedEvent"/>.</summary>
public static class TrackedEventValidator
{
    public const int MaxSessionIdLength = 100;
    public const int MaxElementIdLength = 200;
    public const int MaxKeywordLength = 100;

    public static Outcome<TrackedEvent> Validate(TrackedEventInput input, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        var hasType = ParseType(errors, input.EventType, out var type);
        Rules.RequiredText(errors, "sessionId", input.SessionId, MaxSessionIdLength);
        if (input.UserId is < 1)
        {
            errors.Add("userId", "'userId' must be at least 1 when present.");
        }

        var metadata = input.Metadata;
        if (metadata is null)
        {
            errors.Add("metadata", "'metadata' is required and must hold at least 'componentId'.");
        }
        else
        {
            if (metadata.ComponentId is not >= 1)
            {
                errors.Add("metadata.componentId", "'metadata.componentId' is required and must be at least 1.");
            }

            if (metadata.ElementId is not null)
            {
                Rules.RequiredText(errors, "metadata.elementId", metadata.ElementId, MaxElementIdLength);
            }

            if (metadata.PostId is < 1)
            {
                errors.Add("metadata.postId", "'metadata.postId' must be at least 1 when present.");
            }

            Rules.MaxLength(errors, "metadata.keyword", metadata.Keyword, MaxKeywordLength);
        }

        if (hasType && type.IsPostReaction())
        {
            if (input.UserId is null)
            {
                errors.Add("userId", $"'userId' is required for {type.ToWire()} events.");
            }

            if (metadata is not null && metadata.PostId is null)
            {
                errors.Add("metadata.postId", $"'metadata.postId' is required for {type.ToWire()} events.");
            }
        }

        if (hasType && type == TrackedEventType.Search && metadata is not null && string.IsNullOrWhiteSpace(metadata.Keyword))
        {
            errors.Add("metadata.keyword", "'metadata.keyword' is required and must not be blank for SEARCH events.");
        }

        if (!errors.IsEmpty)
        {
            return Outcome<TrackedEvent>.Invalid(errors);
        }

        var keyword = string.IsNullOrWhiteSpace(metadata!.Keyword) ? null : metadata.Keyword.Trim();
        return Outcome<TrackedEvent>.Ok(new TrackedEvent(
            type, input.UserId, input.SessionId!, metadata.ComponentId!.Value, metadata.ElementId, keyword, metadata.PostId, now));
    }

    /// <summary>Parses <paramref name="text"/> as an event type, adding a message naming the allowed values when it is not one.</summary>
    public static bool ParseType(ValidationErrors errors, string? text, out TrackedEventType type, string field = "eventType")
    {
        if (TrackedEventTypes.TryParse(text, out type))
        {
            return true;
        }

        errors.Add(field, string.IsNullOrWhiteSpace(text)
            ? $"'{field}' is required: one of {TrackedEventTypes.Allowed}."
            : $"'{field}' must be one of {TrackedEventTypes.Allowed} (case-insensitive), got '{Truncate(text)}'.");
        return false;
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
