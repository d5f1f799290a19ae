using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Pulse.Api.Tests.Crm;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Lifecycle;

/// <summary>Erasure requests as a client sends them, and what a test needs to set up a person's data.</summary>
public static class LifecycleClient
{
    public static async Task<(HttpResponseMessage Response, JsonNode Body)> SendAsync(
        this HttpClient client, HttpMethod method, string path, string? key = null, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (body is not null)
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(body);
        }

        var response = await client.SendAsync(request);
        return (response, await Json.ReadAsync(response));
    }

    /// <summary>Sends the bootstrap admin key on every request of this client.</summary>
    public static HttpClient WithAdminKey(this HttpClient client)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Access.IAccessFixture.BootstrapKey);
        return client;
    }

    /// <summary>Erases and, when the erasure continues in the background (202), polls its status until it completes.</summary>
    public static async Task<JsonNode> EraseAsync(this HttpClient client, string externalId, bool suppress = false)
    {
        var (response, body) = await client.SendAsync(HttpMethod.Delete, $"/api/v1/users/{Uri.EscapeDataString(externalId)}" + (suppress ? "?suppress=true" : ""));
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted, $"erasure answered {(int)response.StatusCode}: {body.Compact()}");
        var erasure = body["data"]!;
        return response.StatusCode == HttpStatusCode.OK ? erasure : await client.WaitForErasureAsync(erasure["id"].Long());
    }

    public static async Task<JsonNode> WaitForErasureAsync(this HttpClient client, long id)
    {
        JsonNode? erasure = null;
        await Eventually.HoldsAsync(async () =>
        {
            var (response, body) = await client.GetJsonAsync($"/api/v1/erasures/{id}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            erasure = body["data"];
            return erasure!["status"].Str() == "completed";
        }, $"erasure {id} completing");
        return erasure!;
    }

    public static long Removed(this JsonNode erasure, string kind) => erasure["removed"]![kind].Long();

    public static async Task<long> SaveTrackedAsync(this HttpClient client, long userId, string type = "CLICK")
    {
        var (response, body) = await client.PostAsync("/api/events", new { eventType = type, userId, sessionId = "s-" + userId, metadata = new { componentId = 1002 } });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"tracked event answered {(int)response.StatusCode}: {body.Compact()}");
        return userId;
    }

    public static async Task<long> CreatePostAsync(this HttpClient client, long userId, params string[] hashtags)
    {
        var (response, body) = await client.PostAsync("/api/posts", new { userId, content = "post by " + userId, hashtags });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"post answered {(int)response.StatusCode}: {body.Compact()}");
        return body["postId"].Long();
    }

    public static async Task<long> LikeAsync(this HttpClient client, long postId, long userId)
    {
        var (response, body) = await client.PostAsync("/api/posts/like", new { postId, userId });
        Assert.True(response.StatusCode == HttpStatusCode.OK && body["liked"]!.GetValue<bool>(), $"like answered {(int)response.StatusCode}: {body.Compact()}");
        return body["likeCount"].Long();
    }

    public static async Task<long> LikeCountAsync(this HttpClient client, long postId)
    {
        var (response, body) = await client.GetJsonAsync($"/api/posts/{postId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return body["likeCount"].Long();
    }

    public static async Task<JsonArray> SearchHashtagAsync(this HttpClient client, long userId, string keyword)
    {
        var (response, body) = await client.GetJsonAsync($"/api/search?userId={userId}&keyword={CrmClient.Encode(keyword)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return body.AsArray();
    }

    public static async Task<JsonArray> RecentKeywordsAsync(this HttpClient client, long userId)
    {
        var (response, body) = await client.GetJsonAsync($"/api/search/recent/{userId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return body["keyword"]!.AsArray();
    }
}
