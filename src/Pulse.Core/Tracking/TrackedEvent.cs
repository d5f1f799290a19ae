namespace Pulse.Core.Tracking;

/// <summary>The event tracker's event types (seed 004). Parsed case-insensitively from the wire.</summary>
public enum TrackedEventType
{
    PageView,
    Search,
    Click,
    Like,
    Unlike,
}

/// <summary>A validated tracked event, as stored and counted.</summary>
public sealed record TrackedEvent(
    TrackedEventType Type,
    long? UserId,
    string SessionId,
    long ComponentId,
    string? ElementId,
    string? Keyword,
    long? PostId,
    DateTimeOffset OccurredAt);

/// <summary>The seed's component ids for events Pulse records on its own behalf.</summary>
public static class Components
{
    public const long PageView = 1000;
    public const long Search = 1001;
    public const long Click = 1002;
    public const long Like = 1003;
}
