using Microsoft.Extensions.Time.Testing;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Api.Tests.Tracking.Infrastructure;

namespace Pulse.Api.Tests.Tracking;

/// <summary>Counting and statistics through HTTP. Tests in a class share a clock that only moves forward.</summary>
public abstract class StatisticsApiTests(TrackingFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;
    private readonly FakeTimeProvider _clock = fixture.Clock;

    [Fact]
    public async Task Three_clicks_count_three_and_other_components_and_types_are_not_counted()
    {
        var component = TrackingClient.NewComponent();
        await _client.TrackManyAsync(3, "CLICK", component);
        await _client.TrackAsync("PAGE_VIEW", component);
        await _client.TrackAsync("CLICK", component + 1);

        Assert.Equal(3, await _client.CountAsync($"eventType=CLICK&componentId={component}"));
        Assert.Equal(1, await _client.CountAsync($"eventType=page_view&componentId={component}"));
        Assert.Equal(0, await _client.CountAsync($"eventType=SEARCH&componentId={component}&keyword=x"));
    }

    [Fact]
    public async Task The_answer_names_the_default_window_of_the_last_sixty_minutes()
    {
        var body = await _client.StatisticsAsync($"eventType=CLICK&componentId={TrackingClient.NewComponent()}");

        Assert.Equal(0, body["count"].Long());
        Assert.Equal(Format(_clock.Minute.AddMinutes(-59)), body["from"].Str());
        Assert.Equal(Format(_clock.Minute.AddMinutes(1)), body["to"].Str());
    }

    [Fact]
    public async Task Searches_count_per_keyword_and_likes_per_post()
    {
        var component = TrackingClient.NewComponent();
        await _client.TrackManyAsync(2, "SEARCH", component, keyword: "고양이");
        await _client.TrackAsync("SEARCH", component, keyword: "  고양이  ");
        await _client.TrackAsync("SEARCH", component, keyword: "강아지");
        await _client.TrackManyAsync(2, "LIKE", component, postId: 10);
        await _client.TrackAsync("LIKE", component, postId: 11);

        Assert.Equal(3, await _client.CountAsync($"eventType=SEARCH&componentId={component}&keyword={Uri.EscapeDataString("고양이")}"));
        Assert.Equal(1, await _client.CountAsync($"eventType=SEARCH&componentId={component}&keyword={Uri.EscapeDataString("강아지")}"));
        Assert.Equal(2, await _client.CountAsync($"eventType=LIKE&componentId={component}&postId=10"));
        Assert.Equal(1, await _client.CountAsync($"eventType=LIKE&componentId={component}&postId=11"));
    }

    [Fact]
    public async Task Likes_and_unlikes_net_out_in_order_and_the_like_count_never_goes_below_zero()
    {
        var component = TrackingClient.NewComponent();
        var post = $"eventType=LIKE&componentId={component}&postId=5";

        await _client.TrackManyAsync(2, "UNLIKE", component, postId: 5);
        Assert.Equal(0, await _client.CountAsync(post));

        await _client.TrackAsync("LIKE", component, postId: 5);
        Assert.Equal(1, await _client.CountAsync(post));

        await _client.TrackManyAsync(2, "LIKE", component, postId: 5);
        await _client.TrackAsync("UNLIKE", component, postId: 5);
        Assert.Equal(2, await _client.CountAsync(post));
        Assert.Equal(3, await _client.CountAsync($"eventType=UNLIKE&componentId={component}&postId=5"));
    }

    [Fact]
    public async Task Likes_and_unlikes_in_one_batch_apply_in_their_order()
    {
        var component = TrackingClient.NewComponent();
        var items = new[] { "UNLIKE", "LIKE", "LIKE", "UNLIKE", "UNLIKE", "UNLIKE", "LIKE" }
            .Select(type => new { eventType = type, userId = 1, sessionId = "batch", metadata = new { componentId = component, postId = 9 } });

        var (response, _) = await _client.PostAsync("/api/events/batch", items);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        // 0 → 0, 1, 2, 1, 0, 0, 1
        Assert.Equal(1, await _client.CountAsync($"eventType=LIKE&componentId={component}&postId=9"));
        Assert.Equal(4, await _client.CountAsync($"eventType=UNLIKE&componentId={component}&postId=9"));
    }

    [Fact]
    public async Task Windows_count_only_their_own_minutes()
    {
        var component = TrackingClient.NewComponent();
        var clicks = $"eventType=CLICK&componentId={component}";
        var first = _clock.Minute;
        await _client.TrackManyAsync(2, "CLICK", component);
        _clock.Advance(TimeSpan.FromMinutes(2));
        await _client.TrackAsync("CLICK", component);

        Assert.Equal(1, await _client.CountAsync(clicks + "&minutes=1"));
        Assert.Equal(1, await _client.CountAsync(clicks + "&minutes=2"));
        Assert.Equal(3, await _client.CountAsync(clicks + "&minutes=3"));
        Assert.Equal(3, await _client.CountAsync(clicks));
        Assert.Equal(2, await _client.CountAsync($"{clicks}&from={TrackingClient.Iso(first)}&to={TrackingClient.Iso(first.AddMinutes(1))}"));
        Assert.Equal(0, await _client.CountAsync($"{clicks}&from={TrackingClient.Iso(first.AddMinutes(1))}&to={TrackingClient.Iso(first.AddMinutes(2))}"));
        Assert.Equal(1, await _client.CountAsync($"{clicks}&from={TrackingClient.Iso(first.AddMinutes(1))}"));
        Assert.Equal(3, await _client.CountAsync($"{clicks}&from={TrackingClient.Iso(first.AddSeconds(59))}&to={TrackingClient.Iso(first.AddMinutes(2).AddSeconds(1))}"));

        var window = await _client.StatisticsAsync($"{clicks}&from={TrackingClient.Iso(first.AddSeconds(30))}&to={TrackingClient.Iso(first.AddMinutes(1).AddSeconds(30))}");
        Assert.Equal(Format(first), window["from"].Str());
        Assert.Equal(Format(first.AddMinutes(2)), window["to"].Str());
    }

    [Fact]
    public async Task Events_older_than_the_window_drop_out_of_the_default_sixty_minutes()
    {
        var component = TrackingClient.NewComponent();
        await _client.TrackManyAsync(2, "CLICK", component);
        _clock.Advance(TimeSpan.FromMinutes(59));
        await _client.TrackAsync("CLICK", component);
        Assert.Equal(3, await _client.CountAsync($"eventType=CLICK&componentId={component}"));

        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(1, await _client.CountAsync($"eventType=CLICK&componentId={component}"));
        Assert.Equal(3, await _client.CountAsync($"eventType=CLICK&componentId={component}&minutes=61"));
    }

    [Fact]
    public async Task Top_keywords_rank_the_most_searched_first_across_components()
    {
        _clock.Advance(TimeSpan.FromMinutes(5)); // away from other tests' searches
        var tag = Guid.NewGuid().ToString("N")[..6];
        string Keyword(string name) => $"{name}-{tag}";
        var a = TrackingClient.NewComponent();
        var b = TrackingClient.NewComponent();
        await _client.TrackManyAsync(3, "SEARCH", a, keyword: Keyword("cat"));
        await _client.TrackManyAsync(2, "SEARCH", b, keyword: Keyword("cat"));
        await _client.TrackManyAsync(4, "SEARCH", a, keyword: Keyword("dog"));
        await _client.TrackManyAsync(2, "SEARCH", b, keyword: Keyword("owl"));
        await _client.TrackManyAsync(2, "SEARCH", a, keyword: Keyword("ant"));
        await _client.TrackAsync("SEARCH", a, keyword: Keyword("bee"));
        await _client.TrackAsync("SEARCH", a, keyword: Keyword("elk"));
        await _client.TrackAsync("CLICK", a, keyword: Keyword("not-a-search"));

        var top = await _client.TopKeywordsAsync("minutes=1");

        Assert.Equal(
            [(Keyword("cat"), 5L), (Keyword("dog"), 4L), (Keyword("ant"), 2L), (Keyword("owl"), 2L), (Keyword("bee"), 1L)],
            top);
        Assert.Equal([(Keyword("cat"), 5L), (Keyword("dog"), 4L)], await _client.TopKeywordsAsync("minutes=1&limit=2"));
        Assert.Equal(6, (await _client.TopKeywordsAsync("minutes=1&limit=100")).Count);
    }

    [Fact]
    public async Task Top_keywords_cover_only_their_window()
    {
        _clock.Advance(TimeSpan.FromMinutes(5));
        var tag = Guid.NewGuid().ToString("N")[..6];
        var component = TrackingClient.NewComponent();
        await _client.TrackManyAsync(5, "SEARCH", component, keyword: "old-" + tag);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await _client.TrackManyAsync(2, "SEARCH", component, keyword: "new-" + tag);

        Assert.Equal([("new-" + tag, 2L)], await _client.TopKeywordsAsync("minutes=1"));
        Assert.Equal([("old-" + tag, 5L), ("new-" + tag, 2L)], await _client.TopKeywordsAsync("minutes=2"));
        Assert.Equal(
            [("old-" + tag, 5L)],
            await _client.TopKeywordsAsync($"from={TrackingClient.Iso(_clock.Minute.AddMinutes(-1))}&to={TrackingClient.Iso(_clock.Minute)}"));
    }

    [Fact]
    public async Task Counts_reach_the_all_time_totals()
    {
        var component = TrackingClient.NewComponent();
        await _client.TrackManyAsync(2, "LIKE", component, postId: 3);
        await _client.TrackAsync("UNLIKE", component, postId: 3);
        _clock.CloseBuckets();
        await WaitForRollupAsync();

        Assert.Equal(1, await fixture.StatTotalsAsync("LIKE", component));
        Assert.Equal(1, await fixture.StatTotalsAsync("UNLIKE", component));
        Assert.Equal(1, await fixture.StatMinutesAsync("LIKE", component));
    }

    private Task WaitForRollupAsync() => fixture.Mode == "embedded" ? Task.CompletedTask : fixture.Host.WaitForRollupAsync();

    private static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class StatisticsApiTests_Embedded(TrackingEmbeddedFixture fixture) : StatisticsApiTests(fixture), IClassFixture<TrackingEmbeddedFixture>;

public sealed class StatisticsApiTests_Server(TrackingServerFixture fixture) : StatisticsApiTests(fixture), IClassFixture<TrackingServerFixture>;

public sealed class StatisticsApiTests_Cluster(TrackingClusterFixture fixture) : StatisticsApiTests(fixture), IClassFixture<TrackingClusterFixture>;
