using System.Net;
using System.Text.Json.Nodes;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Posts;

/// <summary>Drives the posts and search API as a client does, asserting the happy path.</summary>
public static class PostsClient
{
    private static long _nextUserId = Random.Shared.NextInt64(1_000_000, 1_000_000_000);

    /// <summary>A user id no other test uses (recent keywords are per user).</summary>
    public static long NewUserId() => Interlocked.Increment(ref _nextUserId);

    /// <summary>A hashtag no other test uses: short enough for the 50-character limit, with Korean in it.</summary>
    public static string NewTag(string stem = "태그") => $"{stem}{Guid.NewGuid():N}"[..Math.Min(40, stem.Length + 32)];

    public static async Task<long> CreatePostAsync(this HttpClient client, params string[] hashtags)
    {
        var (response, body) = await client.PostAsync("/api/posts", new { userId = NewUserId(), content = "post about " + string.Join(' ', hashtags), hashtags });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"expected 201, got {(int)response.StatusCode}: {body.Compact()}");
        return body["postId"].Long();
    }

    public static async Task<JsonNode> ToggleLikeAsync(this HttpClient client, long postId, long userId)
    {
        var (response, body) = await client.PostAsync("/api/posts/like", new { postId, userId });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body.Compact()}");
        return body;
    }

    /// <summary>Gives the post <paramref name="likes"/> likes from fresh users.</summary>
    public static async Task LikeAsync(this HttpClient client, long postId, int likes)
    {
        for (var i = 0; i < likes; i++)
        {
            await client.ToggleLikeAsync(postId, NewUserId());
        }
    }

    public static async Task<JsonArray> SearchAsync(this HttpClient client, string keyword, long? userId = null)
    {
        var (response, body) = await client.GetJsonAsync($"/api/search?userId={userId ?? NewUserId()}&keyword={Uri.EscapeDataString(keyword)}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body.Compact()}");
        return body.AsArray();
    }

    public static async Task<string[]> RecentKeywordsAsync(this HttpClient client, long userId)
    {
        var (response, body) = await client.GetJsonAsync($"/api/search/recent/{userId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. body["keyword"]!.AsArray().Select(k => k.Str())];
    }

    public static async Task<JsonArray> PopularAsync(this HttpClient client, string query = "")
    {
        var (response, body) = await client.GetJsonAsync("/api/posts/popular" + query);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body.Compact()}");
        return body.AsArray();
    }

    public static long[] PostIds(this JsonArray posts) => [.. posts.Select(p => p!["postId"].Long())];

    public static long[] LikeCounts(this JsonArray posts) => [.. posts.Select(p => p!["likeCount"].Long())];
}
