using System.Net;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Api.Tests.Tracking.Infrastructure;

namespace Pulse.Api.Tests.Tracking;

/// <summary>Every rule of SPEC §4 answered as a 400 naming the field, with nothing stored.</summary>
public abstract class TrackedEventValidationTests(TrackingFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    // {0} is replaced by a session id unique to the test case.
    [Theory]
    [InlineData("""{"sessionId": "{0}", "metadata": {"componentId": 1}}""", "eventType")]
    [InlineData("""{"eventType": "", "sessionId": "{0}", "metadata": {"componentId": 1}}""", "eventType")]
    [InlineData("""{"eventType": "SCROLL", "sessionId": "{0}", "metadata": {"componentId": 1}}""", "eventType")]
    [InlineData("""{"eventType": "CLICK", "metadata": {"componentId": 1}}""", "sessionId")]
    [InlineData("""{"eventType": "CLICK", "sessionId": "   ", "metadata": {"componentId": 1}, "userId": 1, "x": "{0}"}""", "sessionId")]
    [InlineData("""{"eventType": "CLICK", "sessionId": "{0}"}""", "metadata")]
    [InlineData("""{"eventType": "CLICK", "sessionId": "{0}", "metadata": {}}""", "metadata.componentId")]
    [InlineData("""{"eventType": "CLICK", "sessionId": "{0}", "metadata": {"componentId": 0}}""", "metadata.componentId")]
    [InlineData("""{"eventType": "CLICK", "sessionId": "{0}", "metadata": {"componentId": -5}}""", "metadata.componentId")]
    [InlineData("""{"eventType": "LIKE", "sessionId": "{0}", "metadata": {"componentId": 1003, "postId": 5}}""", "userId")]
    [InlineData("""{"eventType": "LIKE", "userId": 1, "sessionId": "{0}", "metadata": {"componentId": 1003}}""", "metadata.postId")]
    [InlineData("""{"eventType": "UNLIKE", "sessionId": "{0}", "metadata": {"componentId": 1003, "postId": 5}}""", "userId")]
    [InlineData("""{"eventType": "UNLIKE", "userId": 1, "sessionId": "{0}", "metadata": {"componentId": 1003}}""", "metadata.postId")]
    [InlineData("""{"eventType": "LIKE", "userId": 1, "sessionId": "{0}", "metadata": {"componentId": 1003, "postId": 0}}""", "metadata.postId")]
    [InlineData("""{"eventType": "CLICK", "userId": 0, "sessionId": "{0}", "metadata": {"componentId": 1}}""", "userId")]
    [InlineData("""{"eventType": "SEARCH", "sessionId": "{0}", "metadata": {"componentId": 1001}}""", "metadata.keyword")]
    [InlineData("""{"eventType": "SEARCH", "sessionId": "{0}", "metadata": {"componentId": 1001, "keyword": "  "}}""", "metadata.keyword")]
    [InlineData("""{"eventType": "CLICK", "sessionId": "{0}", "metadata": {"componentId": 1, "elementId": ""}}""", "metadata.elementId")]
    [InlineData("""{"eventType": "CLICK", "sessionId": "{0}", "metadata": {"componentId": 1, "elementId": " "}}""", "metadata.elementId")]
    public async Task A_broken_rule_is_a_400_naming_the_field_and_nothing_is_stored(string template, string field)
    {
        var session = TrackingClient.NewSession();

        var (response, body) = await _client.PostRawAsync("/api/events", template.Replace("{0}", session, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(body["errors"]?[field] is not null, $"expected an error for '{field}': {body.Compact()}");
        Assert.False(string.IsNullOrEmpty(body["message"]?.Str()));
        Assert.Equal(0, await fixture.TrackedEventRowsAsync(session));
    }

    [Fact]
    public async Task An_unknown_event_type_names_the_allowed_values()
    {
        var (response, body) = await _client.PostAsync("/api/events", new { eventType = "HOVER", sessionId = "s", metadata = new { componentId = 1 } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = body["errors"]!["eventType"]![0].Str();
        foreach (var allowed in new[] { "PAGE_VIEW", "SEARCH", "CLICK", "LIKE", "UNLIKE", "HOVER" })
        {
            Assert.Contains(allowed, message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("sessionId", 101)]
    [InlineData("metadata.keyword", 101)]
    [InlineData("metadata.elementId", 201)]
    public async Task Overlong_strings_are_rejected(string field, int length)
    {
        var session = field == "sessionId" ? new string('s', length) : TrackingClient.NewSession();
        var text = new string('x', length);
        var (response, body) = await _client.PostAsync("/api/events", new
        {
            eventType = "SEARCH",
            sessionId = session,
            metadata = new { componentId = 1, keyword = field == "metadata.keyword" ? text : "k", elementId = field == "metadata.elementId" ? text : null },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(body["errors"]![field]);
        Assert.Equal(0, await fixture.TrackedEventRowsAsync(session));
    }

    [Fact]
    public async Task Strings_at_their_limits_are_accepted()
    {
        var session = new string('s', 90) + Guid.NewGuid().ToString("N")[..10];
        var (response, _) = await _client.PostAsync("/api/events", new
        {
            eventType = "SEARCH",
            sessionId = session,
            metadata = new { componentId = 1, keyword = new string('k', 100), elementId = new string('e', 200) },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1, await fixture.TrackedEventRowsAsync(session));
    }

    [Theory]
    [InlineData("""{"eventType": "CLICK", "sessionId": "s", "metadata": {"componentId": "one"}}""")]
    [InlineData("""{"eventType": 3, "sessionId": "s", "metadata": {"componentId": 1}}""")]
    [InlineData("""{"eventType": "CLICK", "sessionId": "s", "metadata": [1]}""")]
    [InlineData("""{"eventType": "CLICK", "sessionId": "s", "metadata": {"componentId": 1}""")]
    [InlineData("null")]
    [InlineData("")]
    public async Task Malformed_bodies_are_a_400(string json)
    {
        var (response, body) = await _client.PostRawAsync("/api/events", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(body["message"]?.Str()), body.Compact());
    }

    [Theory]
    [InlineData("componentId=1", "eventType")]
    [InlineData("eventType=JUMP&componentId=1", "eventType")]
    [InlineData("eventType=CLICK", "componentId")]
    [InlineData("eventType=CLICK&componentId=0", "componentId")]
    [InlineData("eventType=CLICK&componentId=abc", "componentId")]
    [InlineData("eventType=SEARCH&componentId=1", "keyword")]
    [InlineData("eventType=SEARCH&componentId=1&keyword=%20", "keyword")]
    [InlineData("eventType=LIKE&componentId=1", "postId")]
    [InlineData("eventType=UNLIKE&componentId=1", "postId")]
    [InlineData("eventType=LIKE&componentId=1&postId=x", "postId")]
    [InlineData("eventType=CLICK&componentId=1&postId=3", "postId")]
    [InlineData("eventType=CLICK&componentId=1&keyword=cat", "keyword")]
    [InlineData("eventType=CLICK&componentId=1&minutes=0", "minutes")]
    [InlineData("eventType=CLICK&componentId=1&minutes=10081", "minutes")]
    [InlineData("eventType=CLICK&componentId=1&minutes=5&from=2026-01-01T00:00:00Z", "minutes")]
    [InlineData("eventType=CLICK&componentId=1&from=tomorrow", "from")]
    [InlineData("eventType=CLICK&componentId=1&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    public async Task A_statistics_query_breaking_a_rule_is_a_400_naming_the_field(string query, string field)
    {
        var (response, body) = await _client.GetJsonAsync("/api/statistics?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(body["errors"]?[field] is not null, $"expected an error for '{field}': {body.Compact()}");
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=five", "limit")]
    [InlineData("minutes=0", "minutes")]
    [InlineData("minutes=99999", "minutes")]
    public async Task A_top_keywords_query_breaking_a_rule_is_a_400_naming_the_field(string query, string field)
    {
        var (response, body) = await _client.GetJsonAsync("/api/statistics/top-keywords?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(body["errors"]?[field] is not null, $"expected an error for '{field}': {body.Compact()}");
    }
}

public sealed class TrackedEventValidationTests_Embedded(TrackingEmbeddedFixture fixture)
    : TrackedEventValidationTests(fixture), IClassFixture<TrackingEmbeddedFixture>;

public sealed class TrackedEventValidationTests_Server(TrackingServerFixture fixture)
    : TrackedEventValidationTests(fixture), IClassFixture<TrackingServerFixture>;
