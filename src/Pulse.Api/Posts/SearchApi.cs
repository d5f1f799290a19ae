using Pulse.Api.Access;
using Pulse.Core.Access;
using Microsoft.AspNetCore.Http.HttpResults;
using Pulse.Api.Infrastructure;
using Pulse.Core.Posts;

namespace Pulse.Api.Posts;

internal static class SearchApi
{
    public static RouteGroupBuilder MapSearch(this RouteGroupBuilder api)
    {
        var search = api.MapGroup("/search").WithTags("Search").RequireScope(ApiScopes.Read);
        search.MapGet("/", SearchAsync)
            .WithSummary("Up to 10 posts tagged exactly `keyword` (case-sensitive), most liked first; cached per keyword for 60–70 s");
        search.MapGet("/recent/{userId}", RecentAsync).WithSummary("The user's last 10 distinct keywords, most recent first");
        return search;
    }

    private static async Task<Results<Ok<PostView[]>, ProblemHttpResult>> SearchAsync(
        long? userId, string? keyword, PostSearchService search, CancellationToken cancellationToken)
    {
        var outcome = await search.SearchAsync(userId, keyword, cancellationToken);
        return outcome.IsOk ? TypedResults.Ok(PostView.From(outcome.Value)) : Problems.For(outcome);
    }

    private static async Task<Results<Ok<RecentKeywordsView>, ProblemHttpResult>> RecentAsync(
        long userId, PostSearchService search, CancellationToken cancellationToken)
    {
        var outcome = await search.RecentAsync(userId, cancellationToken);
        return outcome.IsOk ? TypedResults.Ok(new RecentKeywordsView(outcome.Value)) : Problems.For(outcome);
    }
}
