using Pulse.Core.Validation;

namespace Pulse.Core.Posts;

/// <summary>
/// Hashtag rules. A tag is trimmed and loses one leading '#', so "#고양이", " 고양이 " and "고양이" are the same tag;
/// after that tags (and search keywords) compare ordinally: case-sensitive, no Unicode normalisation.
/// </summary>
public static class Hashtags
{
    public const int MaxCount = 20;
    public const int MaxLength = 50;

    public static string Normalise(string raw)
    {
        var tag = raw.Trim();
        return tag.StartsWith('#') ? tag[1..].Trim() : tag;
    }

    /// <summary>Validates and normalises a post's hashtags; duplicates (after normalising) are kept once, first wins.</summary>
    public static IReadOnlyList<string> Validate(ValidationErrors errors, string field, IReadOnlyList<string?>? tags)
    {
        if (tags is null || tags.Count == 0)
        {
            return [];
        }

        if (tags.Count > MaxCount)
        {
            errors.Add(field, $"At most {MaxCount} hashtags are allowed (got {tags.Count}).");
            return [];
        }

        var result = new List<string>(tags.Count);
        for (var i = 0; i < tags.Count; i++)
        {
            if (TryNormalise(errors, $"{field}[{i}]", tags[i], out var tag) && !result.Contains(tag, StringComparer.Ordinal))
            {
                result.Add(tag);
            }
        }

        return result;
    }

    /// <summary>Normalises one tag or search keyword, adding a message to <paramref name="errors"/> when it is not valid.</summary>
    public static bool TryNormalise(ValidationErrors errors, string field, string? raw, out string tag)
    {
        tag = raw is null ? string.Empty : Normalise(raw);
        if (string.IsNullOrWhiteSpace(raw))
        {
            errors.Add(field, $"'{field}' is required and must not be blank.");
            return false;
        }

        if (tag.Length is 0 or > MaxLength)
        {
            errors.Add(field, $"'{field}' must be 1 to {MaxLength} characters after trimming and removing a leading '#' (got {tag.Length}).");
            return false;
        }

        if (tag.Any(char.IsControl))
        {
            errors.Add(field, $"'{field}' must not contain control characters.");
            return false;
        }

        return true;
    }
}
