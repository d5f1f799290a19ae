using Pulse.Api.Access;
using Pulse.Core.Access;
using Microsoft.AspNetCore.Http.HttpResults;
using Pulse.Api.Infrastructure;
using Pulse.Core.Posts;

namespace Pulse.Api.Posts;

/// <summary>The event tracker's demo domain (seed 004): posts, likes and hashtag search, under <c>/api</c>.</summary>
internal static class PostsApi
{
    public static RouteGroupBuilder MapPosts(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        var posts = api.MapGroup("/posts").WithTags("Posts");
        posts.MapPost("/", CreateAsync).WithSummary("Create a post with hashtags").RequireScope(ApiScopes.Ingest);
        posts.MapGet("/{postId:long}", GetAsync).WithSummary("Read a post with its number of likes").RequireScope(ApiScopes.Read);
        posts.MapPost("/like", ToggleLikeAsync).WithSummary("Like the post, or unlike it if this user already likes it").RequireScope(ApiScopes.Ingest);
        posts.MapGet("/popular", PopularAsync)
            .WithSummary("Most liked posts, counted in the database; with `hours`, only likes made in the last N hours count")
            .RequireScope(ApiScopes.Read);
        api.MapSearch();
        return api;
    }

    private static async Task<Results<Created<PostCreated>, ProblemHttpResult>> CreateAsync(
        PostInput input, PostService posts, CancellationToken cancellationToken)
    {
        var outcome = await posts.CreateAsync(input, cancellationToken);
        return outcome.IsOk ? TypedResults.Created($"/api/posts/{outcome.Value.Id}", PostCreated.From(outcome.Value)) : Problems.For(outcome);
    }

    private static async Task<Results<Ok<PostView>, ProblemHttpResult>> GetAsync(long postId, PostService posts, CancellationToken cancellationToken) =>
        await posts.FindAsync(postId, cancellationToken) is { } post
            ? TypedResults.Ok(PostView.From(post))
            : Problems.NotFound($"No post has id {postId}.");

    private static async Task<Results<Ok<LikeView>, ProblemHttpResult>> ToggleLikeAsync(
        LikeInput input, PostService posts, CancellationToken cancellationToken)
    {
        var outcome = await posts.ToggleLikeAsync(input, cancellationToken);
        return outcome.IsOk ? TypedResults.Ok(LikeView.From(outcome.Value)) : Problems.For(outcome);
    }

    private static async Task<Results<Ok<PostView[]>, ProblemHttpResult>> PopularAsync(
        int? limit, int? hours, PostService posts, CancellationToken cancellationToken)
    {
        var outcome = await posts.PopularAsync(limit, hours, cancellationToken);
        return outcome.IsOk ? TypedResults.Ok(PostView.From(outcome.Value)) : Problems.For(outcome);
    }
}
