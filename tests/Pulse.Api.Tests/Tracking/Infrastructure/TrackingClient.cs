using System.Net;
using System.Text.Json.Nodes;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Tracking.Infrastructure;

/// <summary>Drives the tracking and statistics API as a client does, asserting the happy path.</summary>
public static class TrackingClient
{
    /// <summary>A component id no other test uses, so each test owns its counters.</summary>
    public static long NewComponent() => Random.Shared.NextInt64(1_000_000, long.MaxValue / 2);

    public static string NewSession() => TestEnvironment.Unique("session");

    public static async Task<JsonNode> TrackAsync(
        this HttpClient client, string eventType, long componentId, long? postId = null, string? keyword = null, long? userId = 1, string? sessionId = null)
    {
        var (response, body) = await client.PostAsync("/api/events", new
        {
            eventType,
            userId,
            sessionId = sessionId ?? NewSession(),
            metadata = new { componentId, postId, keyword },
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"expected 201, got {(int)response.StatusCode}: {body.Compact()}");
        return body;
    }

    public static async Task TrackManyAsync(this HttpClient client, int times, string eventType, long componentId, long? postId = null, string? keyword = null)
    {
        for (var i = 0; i < times; i++)
        {
            await client.TrackAsync(eventType, componentId, postId, keyword);
        }
    }

    public static async Task<JsonNode> StatisticsAsync(this HttpClient client, string query)
    {
        var (response, body) = await client.GetJsonAsync("/api/statistics?" + query);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body.Compact()}");
        return body;
    }

    public static async Task<long> CountAsync(this HttpClient client, string query) => (await client.StatisticsAsync(query))["count"].Long();

    public static async Task<List<(string Keyword, long Count)>> TopKeywordsAsync(this HttpClient client, string query)
    {
        var (response, body) = await client.GetJsonAsync("/api/statistics/top-keywords?" + query);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body.Compact()}");
        return [.. body.AsArray().Select(k => (k!["keyword"].Str(), k["count"].Long()))];
    }

    public static string Iso(DateTimeOffset time) => Uri.EscapeDataString(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
}
