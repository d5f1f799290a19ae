using Pulse.Core.Validation;

namespace Pulse.Core.Tracking;

/// <summary>
/// A validated <c>GET /api/statistics/series</c> query: one type's per-minute counts over a window (at most 7 days), for
/// one component, optionally narrowed to a keyword (SEARCH) or a post (LIKE, UNLIKE); without them, the component's
/// keywords or posts are added up.
/// </summary>
public sealed record SeriesQuery(TrackedEventType Type, CounterFilter Filter, MinuteWindow Window)
{
    public static Outcome<SeriesQuery> Parse(
        string? eventType, string? componentId, string? keyword, string? postId, string? minutes, string? from, string? to, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        var hasType = TrackedEventValidator.ParseType(errors, eventType, out var type);
        var component = StatisticsQuery.ParseId(errors, "componentId", componentId, required: true);
        var post = StatisticsQuery.ParseId(errors, "postId", postId, required: false);
        var trimmedKeyword = string.IsNullOrWhiteSpace(keyword) ? null : keyword.Trim();
        Rules.MaxLength(errors, "keyword", trimmedKeyword, TrackedEventValidator.MaxKeywordLength);
        if (hasType && type != TrackedEventType.Search && trimmedKeyword is not null)
        {
            errors.Add("keyword", "'keyword' applies only to SEARCH.");
        }

        if (hasType && !type.IsPostReaction() && post is not null)
        {
            errors.Add("postId", "'postId' applies only to LIKE and UNLIKE.");
        }

        MinuteWindow.TryParse(minutes, from, to, now, errors, out var window);
        return errors.IsEmpty
            ? Outcome<SeriesQuery>.Ok(new SeriesQuery(type, new CounterFilter(component, post, trimmedKeyword), window))
            : Outcome<SeriesQuery>.Invalid(errors);
    }
}
