using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Pulse.Core.Tracking;

/// <summary>
/// What a counter counts within a type and minute: a component, plus the post for LIKE/UNLIKE or the keyword
/// for SEARCH. Its text form is the sorted-set member of SPEC §4: <c>component:{id}[:post:{id}|:keyword:{kw}]</c>.
/// The keyword comes last, so it may itself contain ':'.
/// </summary>
public sealed record CounterMember(long ComponentId, long? PostId = null, string? Keyword = null)
{
    private const string ComponentPrefix = "component:";
    private const string PostPart = ":post:";
    private const string KeywordPart = ":keyword:";

    /// <summary>
    /// The member an event of this type is counted under: extra fields that do not key its type are ignored, and the
    /// keyword is trimmed (events recorded by other features arrive here without passing the HTTP validation).
    /// </summary>
    public static CounterMember For(TrackedEventType type, long componentId, long? postId, string? keyword) => type switch
    {
        TrackedEventType.Like or TrackedEventType.Unlike => new(componentId, postId),
        TrackedEventType.Search => new(componentId, Keyword: string.IsNullOrWhiteSpace(keyword) ? null : keyword.Trim()),
        _ => new(componentId),
    };

    public static CounterMember For(TrackedEvent tracked) => For(tracked.Type, tracked.ComponentId, tracked.PostId, tracked.Keyword);

    public override string ToString()
    {
        var component = ComponentId.ToString(CultureInfo.InvariantCulture);
        if (PostId is { } post)
        {
            return string.Concat(ComponentPrefix, component, PostPart, post.ToString(CultureInfo.InvariantCulture));
        }

        return Keyword is null ? ComponentPrefix + component : string.Concat(ComponentPrefix, component, KeywordPart, Keyword);
    }

    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out CounterMember? member)
    {
        member = null;
        if (text is null || !text.StartsWith(ComponentPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = text.AsSpan(ComponentPrefix.Length);
        var end = rest.IndexOf(':');
        if (!TryParseId(end < 0 ? rest : rest[..end], out var component))
        {
            return false;
        }

        if (end < 0)
        {
            member = new CounterMember(component);
            return true;
        }

        var tail = rest[end..];
        if (tail.StartsWith(PostPart, StringComparison.Ordinal) && TryParseId(tail[PostPart.Length..], out var post))
        {
            member = new CounterMember(component, post);
            return true;
        }

        if (tail.StartsWith(KeywordPart, StringComparison.Ordinal) && tail.Length > KeywordPart.Length)
        {
            member = new CounterMember(component, Keyword: tail[KeywordPart.Length..].ToString());
            return true;
        }

        return false;
    }

    private static bool TryParseId(ReadOnlySpan<char> digits, out long value) =>
        long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
