using Pulse.Api.Access;
using Pulse.Core.Access;
using Microsoft.AspNetCore.Http.HttpResults;
using Pulse.Api.Dashboard;
using Pulse.Api.Infrastructure;
using Pulse.Core.Tracking;

namespace Pulse.Api.Statistics;

/// <summary>Counts over time windows, merged from roll-ups and live buckets without double counting.</summary>
internal static class StatisticsApi
{
    /// <summary>Set when the live counters could not be read and a result holds only the rolled-up part.</summary>
    public const string PartialHeader = "Pulse-Partial";

    public static RouteGroupBuilder MapStatistics(this IEndpointRouteBuilder app)
    {
        var statistics = app.MapGroup("/api/statistics").WithTags("Statistics").RequireScope(ApiScopes.Read);
        statistics.MapGet("/", CountAsync)
            .WithSummary("Count of one event type and component (keyword for SEARCH, postId for LIKE/UNLIKE) over a window");
        statistics.MapGet("/series", SeriesAsync)
            .WithSummary("Per-minute counts of one event type and component (optionally one keyword or post) over a window of up to 7 days");
        statistics.MapGet("/top-keywords", TopKeywordsAsync)
            .WithSummary("Most searched keywords across components over a window");
        return statistics;
    }

    private static async Task<Results<Ok<StatisticsView>, ProblemHttpResult>> CountAsync(
        string? eventType, string? componentId, string? keyword, string? postId, string? minutes, string? from, string? to,
        StatisticsService statistics, TimeProvider time, HttpResponse response, CancellationToken cancellationToken)
    {
        var query = StatisticsQuery.Parse(eventType, componentId, keyword, postId, minutes, from, to, time.GetUtcNow());
        if (!query.IsOk)
        {
            return Problems.For(query);
        }

        var result = await statistics.CountAsync(query.Value, cancellationToken);
        MarkPartial(response, result.Partial);
        return TypedResults.Ok(new StatisticsView(result.Count, result.Window.From, result.Window.To));
    }

    private static async Task<Results<Ok<SeriesView>, ProblemHttpResult>> SeriesAsync(
        string? eventType, string? componentId, string? keyword, string? postId, string? minutes, string? from, string? to,
        StatisticsService statistics, TimeProvider time, HttpResponse response, CancellationToken cancellationToken)
    {
        var query = SeriesQuery.Parse(eventType, componentId, keyword, postId, minutes, from, to, time.GetUtcNow());
        if (!query.IsOk)
        {
            return Problems.For(query);
        }

        var (type, filter, window) = query.Value;
        var result = await statistics.SeriesAsync(type, filter, window, cancellationToken);
        MarkPartial(response, result.Partial);
        return TypedResults.Ok(new SeriesView(type.ToWire(), filter.ComponentId!.Value, filter.PostId, filter.Keyword, window.From, window.To, result.Counts));
    }

    private static async Task<Results<Ok<IReadOnlyList<KeywordCount>>, ProblemHttpResult>> TopKeywordsAsync(
        string? limit, string? minutes, string? from, string? to,
        StatisticsService statistics, TimeProvider time, HttpResponse response, CancellationToken cancellationToken)
    {
        var query = TopKeywordsQuery.Parse(limit, minutes, from, to, time.GetUtcNow());
        if (!query.IsOk)
        {
            return Problems.For(query);
        }

        var result = await statistics.TopKeywordsAsync(query.Value, cancellationToken);
        MarkPartial(response, result.Partial);
        return TypedResults.Ok(result.Keywords);
    }

    private static void MarkPartial(HttpResponse response, bool partial)
    {
        if (partial)
        {
            response.Headers[PartialHeader] = "live-counters-unavailable";
        }
    }
}

/// <summary>A count over <c>[from, to)</c>, both whole UTC minutes.</summary>
public sealed record StatisticsView(long Count, DateTimeOffset From, DateTimeOffset To);
