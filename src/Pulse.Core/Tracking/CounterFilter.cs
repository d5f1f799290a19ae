namespace Pulse.Core.Tracking;

/// <summary>
/// Which members of one type's buckets a series adds up: every member, one component's (every keyword or post of it),
/// or one exact member (a keyword or a post within the component).
/// </summary>
public sealed record CounterFilter(long? ComponentId = null, long? PostId = null, string? Keyword = null)
{
    public static CounterFilter Everything { get; } = new();

    public bool Matches(CounterMember member) =>
        (ComponentId is null || member.ComponentId == ComponentId)
        && (PostId is null || member.PostId == PostId)
        && (Keyword is null || string.Equals(member.Keyword, Keyword, StringComparison.Ordinal));
}
