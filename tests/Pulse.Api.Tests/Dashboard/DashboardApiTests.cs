using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Pulse.Api.Tests.Crm;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Api.Tests.Tracking.Infrastructure;

namespace Pulse.Api.Tests.Dashboard;

/// <summary>
/// The dashboard's own read endpoints, /api/statistics/series and /api/dashboard/overview, in every storage mode. Tests
/// in a class share a database and a clock that only moves forward, so they compare before and after.
/// </summary>
public abstract class DashboardApiTests(TrackingFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;
    private readonly FakeTimeProvider _clock = fixture.Clock;

    [Fact]
    public async Task A_series_has_a_count_for_every_minute_of_its_window_oldest_first()
    {
        var component = TrackingClient.NewComponent();
        await _client.TrackManyAsync(2, "CLICK", component);
        await _client.TrackAsync("PAGE_VIEW", component);
        _clock.Advance(TimeSpan.FromMinutes(2));
        await _client.TrackManyAsync(3, "CLICK", component);

        var series = await SeriesAsync($"eventType=CLICK&componentId={component}&minutes=5");

        Assert.Equal([0L, 0L, 2L, 0L, 3L], Counts(series));
        Assert.Equal(Format(_clock.Minute.AddMinutes(-4)), series["from"].Str());
        Assert.Equal(Format(_clock.Minute.AddMinutes(1)), series["to"].Str());
        Assert.Equal("CLICK", series["eventType"].Str());
    }

    [Fact]
    public async Task A_series_adds_up_a_components_keywords_unless_one_is_named()
    {
        var component = TrackingClient.NewComponent();
        await _client.TrackManyAsync(2, "SEARCH", component, keyword: "고양이 🐱");
        await _client.TrackAsync("SEARCH", component, keyword: "coffee");
        await _client.TrackAsync("SEARCH", component + 1, keyword: "coffee");

        Assert.Equal(3, Counts(await SeriesAsync($"eventType=SEARCH&componentId={component}&minutes=1"))[^1]);
        Assert.Equal(2, Counts(await SeriesAsync($"eventType=SEARCH&componentId={component}&keyword={Uri.EscapeDataString("고양이 🐱")}&minutes=1"))[^1]);
    }

    [Fact]
    public async Task A_series_reads_rolled_up_minutes_and_live_ones_alike()
    {
        var component = TrackingClient.NewComponent();
        await _client.TrackManyAsync(2, "LIKE", component, postId: 4);
        await _client.TrackAsync("LIKE", component, postId: 5);
        _clock.CloseBuckets();
        await WaitForRollupAsync();
        await _client.TrackAsync("LIKE", component, postId: 4);

        var all = Counts(await SeriesAsync($"eventType=LIKE&componentId={component}&minutes=10"));
        var one = Counts(await SeriesAsync($"eventType=LIKE&componentId={component}&postId=4&minutes=10"));

        Assert.Equal(4, all.Sum());
        Assert.Equal(1, all[^1]);
        Assert.Equal(3, one.Sum());
    }

    [Fact]
    public async Task A_components_series_is_its_members_added_up_through_floors_rollups_and_minutes()
    {
        var component = TrackingClient.NewComponent();
        var items = new[] { ("UNLIKE", 4), ("LIKE", 4), ("LIKE", 5), ("LIKE", 4), ("UNLIKE", 5), ("UNLIKE", 5), ("LIKE", 6) }
            .Select(e => new { eventType = e.Item1, userId = 1, sessionId = "floors", metadata = new { componentId = component, postId = e.Item2 } });
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync("/api/events/batch", items)).Response.StatusCode);
        await _client.TrackManyAsync(3, "SEARCH", component, keyword: "고양이");
        await _client.TrackAsync("SEARCH", component, keyword: "coffee");
        _clock.CloseBuckets();
        await WaitForRollupAsync();
        await _client.TrackAsync("LIKE", component, postId: 5);
        await _client.TrackAsync("SEARCH", component, keyword: "coffee");
        _clock.Advance(TimeSpan.FromMinutes(1));
        await _client.TrackAsync("LIKE", component, postId: 4);
        _clock.CloseBuckets();
        await WaitForRollupAsync();

        var likes = Counts(await SeriesAsync($"eventType=LIKE&componentId={component}&minutes=10"));
        var perPost = await Task.WhenAll(new[] { 4, 5, 6 }.Select(post => SeriesAsync($"eventType=LIKE&componentId={component}&postId={post}&minutes=10")));
        var searches = Counts(await SeriesAsync($"eventType=SEARCH&componentId={component}&minutes=10"));

        // The batch's minute: post 4 at 2 (its unlike floored at 0), post 5 at 0 (liked once, unliked twice), post 6 at 1.
        // Three minutes later post 5 at 1, a minute after that post 4 at 1. Every minute of the component is its posts' sum.
        Assert.Equal(5, likes.Sum());
        Assert.Equal([3L, 1L, 1L], likes.Where(count => count > 0));
        Assert.Equal(likes, Enumerable.Range(0, 10).Select(i => perPost.Sum(series => Counts(series)[i])).ToList());
        Assert.Equal(5, searches.Sum());
        Assert.Equal(5, await fixture.ComponentMinutesAsync("LIKE", component));
        Assert.Equal(3, await fixture.ComponentMinutesAsync("UNLIKE", component));
        Assert.Equal(5, await fixture.ComponentMinutesAsync("SEARCH", component));
        foreach (var type in new[] { "LIKE", "UNLIKE", "SEARCH" })
        {
            Assert.Equal(0, await fixture.ComponentMinutesOutOfStepAsync(type, component));
        }
    }

    [Theory]
    [InlineData("eventType=CLICK&componentId=1&keyword=x", "keyword")]
    [InlineData("eventType=SEARCH&componentId=1&postId=3", "postId")]
    [InlineData("eventType=CLICK", "componentId")]
    [InlineData("eventType=NOPE&componentId=1", "eventType")]
    [InlineData("eventType=CLICK&componentId=1&minutes=10081", "minutes")]
    [InlineData("eventType=CLICK&componentId=1&from=2026-01-01T00:00:00Z&to=2026-01-09T00:00:00Z", "to")]
    public async Task A_series_with_bad_parameters_is_a_400_naming_the_field(string query, string field)
    {
        var (response, body) = await _client.GetJsonAsync("/api/statistics/series?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(body["errors"]![field]);
    }

    [Fact]
    public async Task The_overview_counts_each_kind_of_event_per_minute_over_the_last_hour()
    {
        var user = TestEnvironment.Unique("dashboard");
        await _client.CreateUserAsync(user);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var before = await OverviewAsync();
        var component = TrackingClient.NewComponent();

        await _client.SaveEventAsync("dashboard", user, null, ("n", "1"));
        await _client.SaveEventAsync("dashboard", user, null, ("n", "2"));
        await _client.TrackManyAsync(3, "CLICK", component);
        await _client.TrackAsync("PAGE_VIEW", component);
        var after = await OverviewAsync();

        Assert.Equal(60, Kind(after, "CRM").Count);
        Assert.Equal(["CRM", "PAGE_VIEW", "SEARCH", "CLICK", "LIKE", "UNLIKE"], after["ingested"]!["series"]!.AsArray().Select(s => s!["kind"].Str()));
        Assert.Equal(2, Kind(after, "CRM")[^1] - Kind(before, "CRM")[^1]);
        Assert.Equal(3, Kind(after, "CLICK")[^1] - Kind(before, "CLICK")[^1]);
        Assert.Equal(1, Kind(after, "PAGE_VIEW")[^1] - Kind(before, "PAGE_VIEW")[^1]);
        Assert.Equal(2, after["ingested"]!["crmLast5Minutes"].Long() - before["ingested"]!["crmLast5Minutes"].Long());
        Assert.Equal(4, after["ingested"]!["trackedLast5Minutes"].Long() - before["ingested"]!["trackedLast5Minutes"].Long());
        Assert.Equal(Format(_clock.Minute.AddMinutes(-59)), after["from"].Str());
    }

    [Fact]
    public async Task The_overview_reports_the_write_queues_requests_and_dependencies()
    {
        var component = TrackingClient.NewComponent();
        await _client.TrackManyAsync(2, "CLICK", component);

        JsonNode overview = null!;
        await Eventually.HoldsAsync(async () =>
        {
            overview = await OverviewAsync();
            return overview["pipeline"]!["dependencies"]!.AsArray().Count > 0;
        }, "the first readiness checks in the overview");
        var pipeline = overview["pipeline"]!;

        Assert.Contains("events", pipeline["queues"]!.AsArray().Select(q => q!["name"].Str()));
        Assert.Contains("tracked-events", pipeline["queues"]!.AsArray().Select(q => q!["name"].Str()));
        Assert.True(pipeline["requests"].Long() >= 2, pipeline.Compact());
        Assert.True(pipeline["commits"].Long() >= 1, pipeline.Compact());
        Assert.All(pipeline["dependencies"]!.AsArray(), dependency => Assert.True(dependency!["up"]!.GetValue<bool>(), pipeline.Compact()));
        var names = pipeline["dependencies"]!.AsArray().Select(d => d!["name"].Str()).ToList();
        Assert.Equal(fixture.Mode == "embedded" ? new[] { "sqlite" } : ["postgres", "redis"], names.Order());
    }

    [Fact]
    public async Task The_page_at_the_root_comes_from_the_binary_under_a_strict_content_security_policy()
    {
        var page = await _client.GetAsync("/");
        var html = await page.Content.ReadAsStringAsync();
        var chart = await _client.GetAsync("/vendor/uplot/uPlot.iife.min.js");
        var script = await _client.GetAsync("/dashboard/app.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>Pulse dashboard</title>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/docs\"", html, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(HttpStatusCode.OK, chart.StatusCode);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("innerHTML", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<JsonNode> OverviewAsync()
    {
        var (response, body) = await _client.GetJsonAsync("/api/dashboard/overview");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body.Compact()}");
        return body;
    }

    private async Task<JsonNode> SeriesAsync(string query)
    {
        var (response, body) = await _client.GetJsonAsync("/api/statistics/series?" + query);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body.Compact()}");
        return body;
    }

    private static List<long> Counts(JsonNode series) => [.. series["counts"]!.AsArray().Select(c => c.Long())];

    private static List<long> Kind(JsonNode overview, string kind) =>
        Counts(overview["ingested"]!["series"]!.AsArray().Single(s => s!["kind"].Str() == kind)!);

    private Task WaitForRollupAsync() => fixture.Mode == "embedded" ? Task.CompletedTask : fixture.Host.WaitForRollupAsync();

    private static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class DashboardApiTests_Embedded(TrackingEmbeddedFixture fixture) : DashboardApiTests(fixture), IClassFixture<TrackingEmbeddedFixture>;

public sealed class DashboardApiTests_Server(TrackingServerFixture fixture) : DashboardApiTests(fixture), IClassFixture<TrackingServerFixture>;

public sealed class DashboardApiTests_Cluster(TrackingClusterFixture fixture) : DashboardApiTests(fixture), IClassFixture<TrackingClusterFixture>;
