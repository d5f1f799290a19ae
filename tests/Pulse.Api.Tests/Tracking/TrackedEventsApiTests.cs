using System.Net;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Api.Tests.Tracking.Infrastructure;

namespace Pulse.Api.Tests.Tracking;

public abstract class TrackedEventsApiTests(TrackingFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task An_accepted_event_is_stored_before_the_201_and_echoed_with_the_server_time()
    {
        var session = TrackingClient.NewSession();
        var component = TrackingClient.NewComponent();

        var body = await _client.TrackAsync("page_view", component, sessionId: session);

        Assert.Equal(1, await fixture.TrackedEventRowsAsync(session));
        Assert.Equal("PAGE_VIEW", body["eventType"].Str());
        Assert.Equal(component, body["metadata"]!["componentId"].Long());
        Assert.Equal(fixture.Clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture), body["occurredAt"].Str());
    }

    [Fact]
    public async Task Every_field_is_stored_as_sent()
    {
        var session = TrackingClient.NewSession();
        var component = TrackingClient.NewComponent();
        var (response, _) = await _client.PostAsync("/api/events", new
        {
            eventType = "LIKE",
            userId = 42,
            sessionId = session,
            metadata = new { componentId = component, elementId = "heart-button", postId = 7 },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1, await fixture.ScalarAsync(
            "SELECT COUNT(*) FROM tracked_events WHERE session_id = @p0 AND type = 'LIKE' AND user_id = 42 AND component_id = @p1 AND element_id = 'heart-button' AND post_id = 7 AND keyword IS NULL",
            session,
            component));
    }

    [Fact]
    public async Task The_users_events_alias_accepts_the_same_body()
    {
        var session = TrackingClient.NewSession();
        var (response, body) = await _client.PostAsync("/api/users/events", new
        {
            eventType = "Search",
            sessionId = session,
            metadata = new { componentId = 1001, keyword = "고양이" },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("SEARCH", body["eventType"].Str());
        Assert.Equal("고양이", body["metadata"]!["keyword"].Str());
        Assert.Equal(1, await fixture.TrackedEventRowsAsync(session));
    }

    [Fact]
    public async Task A_batch_stores_the_valid_items_and_reports_each_one()
    {
        var session = TrackingClient.NewSession();
        var component = TrackingClient.NewComponent();
        var (response, body) = await _client.PostRawAsync("/api/events/batch", $$$"""
            [
              {"eventType": "CLICK", "sessionId": "{{{session}}}", "metadata": {"componentId": {{{component}}}}},
              {"eventType": "CLICK", "sessionId": " ", "metadata": {"componentId": {{{component}}}}},
              null,
              {"eventType": "SEARCH", "sessionId": "{{{session}}}", "metadata": {"componentId": {{{component}}}, "keyword": "dog"}},
              {"eventType": "SHOUT", "sessionId": "{{{session}}}", "metadata": {"componentId": {{{component}}}}}
            ]
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, body["accepted"].Long());
        Assert.Equal(3, body["rejected"].Long());
        var results = body["results"]!.AsArray();
        Assert.Equal([201, 400, 400, 201, 400], results.Select(r => r!["status"]!.GetValue<int>()));
        Assert.NotNull(results[1]!["errors"]!["sessionId"]);
        Assert.NotNull(results[4]!["errors"]!["eventType"]);
        Assert.Equal(2, await fixture.TrackedEventRowsAsync(session));
        Assert.Equal(1, await _client.CountAsync($"eventType=CLICK&componentId={component}"));
    }

    [Fact]
    public async Task A_batch_of_a_thousand_is_stored_and_counted_in_full()
    {
        var session = TrackingClient.NewSession();
        var component = TrackingClient.NewComponent();
        var items = Enumerable.Range(0, 1000).Select(i => new
        {
            eventType = i % 2 == 0 ? "CLICK" : "SEARCH",
            sessionId = session,
            metadata = new { componentId = component, keyword = i % 2 == 0 ? null : "kw-" + (i % 3) },
        });

        var (response, body) = await _client.PostAsync("/api/events/batch", items);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1000, body["accepted"].Long());
        Assert.Equal(1000, await fixture.TrackedEventRowsAsync(session));
        Assert.Equal(500, await _client.CountAsync($"eventType=CLICK&componentId={component}"));
        Assert.Equal(167, await _client.CountAsync($"eventType=SEARCH&componentId={component}&keyword=kw-1"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task A_batch_must_hold_between_one_and_a_thousand_events(int size)
    {
        var session = TrackingClient.NewSession();
        var items = Enumerable.Range(0, size).Select(_ => new { eventType = "CLICK", sessionId = session, metadata = new { componentId = 1 } });

        var (response, body) = await _client.PostAsync("/api/events/batch", items);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(body["errors"]!["events"]);
        Assert.Equal(0, await fixture.TrackedEventRowsAsync(session));
    }
}

public sealed class TrackedEventsApiTests_Embedded(TrackingEmbeddedFixture fixture) : TrackedEventsApiTests(fixture), IClassFixture<TrackingEmbeddedFixture>;

public sealed class TrackedEventsApiTests_Server(TrackingServerFixture fixture) : TrackedEventsApiTests(fixture), IClassFixture<TrackingServerFixture>;

public sealed class TrackedEventsApiTests_Cluster(TrackingClusterFixture fixture) : TrackedEventsApiTests(fixture), IClassFixture<TrackingClusterFixture>;
