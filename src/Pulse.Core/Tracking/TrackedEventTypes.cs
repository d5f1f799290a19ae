using System.Diagnostics.CodeAnalysis;

namespace Pulse.Core.Tracking;

/// <summary>The wire names of <see cref="TrackedEventType"/> (<c>PAGE_VIEW</c>, ...), also used in storage and counter keys.</summary>
public static class TrackedEventTypes
{
    /// <summary>The allowed values, for error messages.</summary>
    public const string Allowed = "PAGE_VIEW, SEARCH, CLICK, LIKE, UNLIKE";

    public static IReadOnlyList<TrackedEventType> All { get; } =
        [TrackedEventType.PageView, TrackedEventType.Search, TrackedEventType.Click, TrackedEventType.Like, TrackedEventType.Unlike];

    public static string ToWire(this TrackedEventType type) => type switch
    {
        TrackedEventType.PageView => "PAGE_VIEW",
        TrackedEventType.Search => "SEARCH",
        TrackedEventType.Click => "CLICK",
        TrackedEventType.Like => "LIKE",
        TrackedEventType.Unlike => "UNLIKE",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Parses a wire name, ignoring case and surrounding white space.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out TrackedEventType type)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "PAGE_VIEW":
                type = TrackedEventType.PageView;
                return true;
            case "SEARCH":
                type = TrackedEventType.Search;
                return true;
            case "CLICK":
                type = TrackedEventType.Click;
                return true;
            case "LIKE":
                type = TrackedEventType.Like;
                return true;
            case "UNLIKE":
                type = TrackedEventType.Unlike;
                return true;
            default:
                type = default;
                return false;
        }
    }

    /// <summary>LIKE and UNLIKE counters are keyed by post; they need a post id (and events a user id).</summary>
    public static bool IsPostReaction(this TrackedEventType type) => type is TrackedEventType.Like or TrackedEventType.Unlike;
}
