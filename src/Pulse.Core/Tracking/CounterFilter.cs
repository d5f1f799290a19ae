namespace Pulse.Core.Tracking;

/// <summary>
/// Which members of one type's buckets a series adds up: every member, one component's (every keyword or post of it),
/// or one exact member (a keyword or a post within the component).
/// </summary>
public sealed record CounterFilter(long? ComponentId = null, long? PostId = null, string? Keyword = null)
{
    public static CounterFilter Everything { get; } = new();

    /// <summary>
    /// The one member this filter matches in <paramref name="set"/>'s buckets, when there is exactly one: a component of a
    /// type without keywords or posts (PAGE_VIEW, CLICK), or with its keyword or post named. Stores read its rows as one
    /// key range; otherwise they add up the component's members.
    /// </summary>
    public CounterMember? ExactMember(TrackedEventType set) => ComponentId switch
    {
        null => null,
        { } component when set == TrackedEventType.Search => Keyword is null ? null : new CounterMember(component, Keyword: Keyword),
        { } component when set.IsPostReaction() => PostId is null ? null : new CounterMember(component, PostId),
        { } component => new CounterMember(component),
    };

    public bool Matches(CounterMember member) =>
        (ComponentId is null || member.ComponentId == ComponentId)
        && (PostId is null || member.PostId == PostId)
        && (Keyword is null || string.Equals(member.Keyword, Keyword, StringComparison.Ordinal));
}
