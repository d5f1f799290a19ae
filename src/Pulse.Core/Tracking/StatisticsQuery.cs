using System.Globalization;
using Pulse.Core.Validation;

namespace Pulse.Core.Tracking;

/// <summary>A validated <c>GET /api/statistics</c> query: one counter over a window.</summary>
public sealed record StatisticsQuery(TrackedEventType Type, CounterMember Member, MinuteWindow Window)
{
    /// <summary>Reads the query string's values; the same rules as for events (SEARCH needs a keyword, LIKE/UNLIKE a post).</summary>
    public static Outcome<StatisticsQuery> Parse(
        string? eventType, string? componentId, string? keyword, string? postId, string? minutes, string? from, string? to, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        var hasType = TrackedEventValidator.ParseType(errors, eventType, out var type);
        var component = ParseId(errors, "componentId", componentId, required: true);
        var post = ParseId(errors, "postId", postId, required: false);
        var trimmedKeyword = string.IsNullOrWhiteSpace(keyword) ? null : keyword.Trim();
        Rules.MaxLength(errors, "keyword", trimmedKeyword, TrackedEventValidator.MaxKeywordLength);
        if (hasType)
        {
            if (type == TrackedEventType.Search && trimmedKeyword is null)
            {
                errors.Add("keyword", "'keyword' is required and must not be blank for SEARCH.");
            }
            else if (type != TrackedEventType.Search && !string.IsNullOrEmpty(keyword))
            {
                errors.Add("keyword", "'keyword' applies only to SEARCH.");
            }

            if (type.IsPostReaction() && string.IsNullOrEmpty(postId))
            {
                errors.Add("postId", $"'postId' is required for {type.ToWire()}.");
            }
            else if (!type.IsPostReaction() && !string.IsNullOrEmpty(postId))
            {
                errors.Add("postId", "'postId' applies only to LIKE and UNLIKE.");
            }
        }

        MinuteWindow.TryParse(minutes, from, to, now, errors, out var window);
        if (!errors.IsEmpty)
        {
            return Outcome<StatisticsQuery>.Invalid(errors);
        }

        return Outcome<StatisticsQuery>.Ok(new StatisticsQuery(type, CounterMember.For(type, component!.Value, post, trimmedKeyword), window));
    }

    internal static long? ParseId(ValidationErrors errors, string field, string? text, bool required)
    {
        if (string.IsNullOrEmpty(text))
        {
            if (required)
            {
                errors.Add(field, $"'{field}' is required and must be at least 1.");
            }

            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id >= 1)
        {
            return id;
        }

        errors.Add(field, $"'{field}' must be a whole number of at least 1.");
        return null;
    }
}

/// <summary>A validated <c>GET /api/statistics/top-keywords</c> query.</summary>
public sealed record TopKeywordsQuery(int Limit, MinuteWindow Window)
{
    public const int DefaultLimit = 5;
    public const int MaxLimit = 100;

    public static Outcome<TopKeywordsQuery> Parse(string? limit, string? minutes, string? from, string? to, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        var count = DefaultLimit;
        if (!string.IsNullOrEmpty(limit)
            && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxLimit))
        {
            errors.Add("limit", $"'limit' must be a whole number from 1 to {MaxLimit}.");
        }

        MinuteWindow.TryParse(minutes, from, to, now, errors, out var window);
        return errors.IsEmpty ? Outcome<TopKeywordsQuery>.Ok(new TopKeywordsQuery(count, window)) : Outcome<TopKeywordsQuery>.Invalid(errors);
    }
}
