using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Sqlite;

/// <summary>
/// The current Pulse started on a data/pulse.db written by release d7db325 (Fixtures/pulse-d7db325.sqlite, made by
/// Fixtures/make-pulse-d7db325.sh through that release's HTTP API): everything it stored reads back through the API,
/// new writes work, and starting again (migrations re-run) changes nothing. Each test works on its own copy.
/// </summary>
public sealed class ReleaseUpgradeTests : IDisposable
{
    // Everything in the fixture was written in the minute 2026-11-28T23:29Z.
    private const string FixtureDay = "from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), TestEnvironment.Unique("pulse-upgrade"));
    private readonly string _database;

    public ReleaseUpgradeTests()
    {
        Directory.CreateDirectory(_directory);
        _database = Path.Combine(_directory, "pulse.db");
        File.Copy(FixturePath("pulse-d7db325.sqlite"), _database);
    }

    [Fact]
    public async Task Users_and_campaigns_of_the_old_release_read_back_with_their_linked_event_counts()
    {
        await using var pulse = Start();
        var client = pulse.CreateClient();

        var (_, count) = await client.GetJsonAsync("/api/v1/users/count");
        var (_, users) = await client.GetJsonAsync("/api/v1/users?page=0&size=20");
        var (_, campaigns) = await client.GetJsonAsync("/api/v1/events/campaign?page=0&size=20");
        var (_, sale) = await client.GetJsonAsync("/api/v1/events/campaign/1");

        Assert.Equal(3, count["data"]!["totalCount"].Long());
        var carol = users["data"]!["users"]!["content"]!.AsArray().Single(u => u!["externalId"].Str() == "fixture-carol")!;
        Assert.Equal("""{"email":"carol@example.org","name":"캐롤"}""", carol["userAttributes"].Str());
        Assert.NotEqual(carol["createdAt"].Str(), carol["updatedAt"].Str());
        var linked = campaigns["data"]!["campaigns"]!["content"]!.AsArray()
            .Select(c => $"{c!["name"].Str()}={c["linkedEventCount"].Long()}");
        Assert.Equal(["fixture-spring-sale=4", "fixture-newsletter=1", "fixture-unused=0"], linked);
        Assert.Equal(4, sale["data"]!["linkedEventCount"].Long());
        Assert.Equal("""[{"key":"action","value":"buy"},{"key":"amount","value":"0"}]""", sale["data"]!["properties"]!.Compact());
    }

    [Theory]
    [InlineData("purchase", "amount&100&>&end", "1,2")]
    [InlineData("purchase", "action&buy&=&and, amount&50&amount&300&between&end", "2,4,9")]
    [InlineData(null, "amount&0&<&or, coupon&SPRING&=&end", "3,4")]
    [InlineData(null, "label&고양이&=&end", "7")]
    [InlineData(null, "action&fun&like&end", "3")]
    [InlineData(null, "channel&email&!=&end", "6")]
    public async Task Old_events_are_found_by_where_conditions_on_their_properties(string? eventName, string where, string expectedIds)
    {
        await using var pulse = Start();
        var client = pulse.CreateClient();

        var found = await SearchAsync(client, eventName, where);

        Assert.Equal(expectedIds, string.Join(',', found.Select(e => e!["id"].Long())));
    }

    [Fact]
    public async Task Old_events_keep_their_properties_as_written()
    {
        await using var pulse = Start();
        var client = pulse.CreateClient();

        var found = await SearchAsync(client, "purchase", "amount&250&=&end");

        var bob = Assert.Single(found)!;
        Assert.Equal("fixture-bob", bob["externalId"].Str());
        Assert.Equal("""[{"key":"amount","value":"250"},{"key":"action","value":"buy"}]""", bob["properties"]!.Compact());
    }

    [Fact]
    public async Task Old_events_take_their_creation_time_as_event_time_and_are_found_by_it()
    {
        await using var pulse = Start();
        var client = pulse.CreateClient();

        var (_, thatDay) = await client.GetJsonAsync($"/api/v1/events?{FixtureDay}&limit=100");
        var (_, dayBefore) = await client.GetJsonAsync("/api/v1/events?from=2026-11-27T00:00:00Z&to=2026-11-28T00:00:00Z");

        var events = thatDay["data"]!["events"]!.AsArray();
        Assert.Equal(9, events.Count);
        Assert.All(events, e => Assert.Equal(e!["createdAt"].Str(), e["timestamp"].Str()));
        Assert.All(events, e => Assert.Equal(e!["createdAt"].Str(), e["receivedAt"].Str()));
        Assert.Empty(dayBefore["data"]!["events"]!.AsArray());
        Assert.Equal("0", await ScalarAsync("SELECT COUNT(*) FROM events WHERE event_time <> created_at"));
    }

    [Fact]
    public async Task Old_events_are_counted_in_their_minute_for_the_dashboard()
    {
        await using var pulse = Start();
        pulse.CreateClient();

        // 2026-11-28T23:29Z: all 9 events.
        Assert.Equal("1795908540000:9", await ScalarAsync("SELECT group_concat(minute || ':' || count) FROM event_minutes"));
    }

    [Theory]
    [InlineData("eventType=CLICK&componentId=1002", 3)]
    [InlineData("eventType=PAGE_VIEW&componentId=1000", 2)]
    [InlineData("eventType=SEARCH&componentId=1001&keyword=고양이", 2)]
    [InlineData("eventType=LIKE&componentId=1003&postId=1", 2)]
    [InlineData("eventType=LIKE&componentId=1003&postId=2", 1)]
    [InlineData("eventType=UNLIKE&componentId=1003&postId=2", 1)]
    public async Task Old_counters_answer_statistics(string query, long expected)
    {
        await using var pulse = Start();
        var client = pulse.CreateClient();

        var (response, body) = await client.GetJsonAsync($"/api/statistics?{query}&{FixtureDay}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, body["count"].Long());
    }

    [Fact]
    public async Task Old_searches_rank_top_keywords()
    {
        await using var pulse = Start();
        var client = pulse.CreateClient();

        var (_, top) = await client.GetJsonAsync($"/api/statistics/top-keywords?limit=5&{FixtureDay}");

        Assert.Equal(["고양이=2", "강아지=1", "일상=1"], top.AsArray().Select(k => $"{k!["keyword"].Str()}={k["count"].Long()}"));
    }

    [Fact]
    public async Task Old_posts_likes_and_hashtags_read_back()
    {
        await using var pulse = Start();
        var client = pulse.CreateClient();

        var (_, walk) = await client.GetJsonAsync("/api/posts/2");
        var (_, popular) = await client.GetJsonAsync("/api/posts/popular?limit=10");
        var (_, daily) = await client.GetJsonAsync($"/api/search?userId=5&keyword={Uri.EscapeDataString("일상")}");
        var (_, dogs) = await client.GetJsonAsync($"/api/search?userId=5&keyword={Uri.EscapeDataString("강아지")}");

        Assert.Equal("산책 가는 길", walk["content"].Str());
        Assert.Equal("https://example.com/walk.jpg", walk["imageUrls"].Str());
        Assert.Equal(["일상", "강아지"], walk["hashtags"]!.AsArray().Select(t => t.Str()));
        Assert.Equal(1, walk["likeCount"].Long());
        Assert.Equal(["1:2", "2:1"], popular.AsArray().Select(p => $"{p!["postId"].Long()}:{p["likeCount"].Long()}"));
        Assert.Equal([1L, 2L], daily.AsArray().Select(p => p!["postId"].Long()));
        Assert.Equal([2L], dogs.AsArray().Select(p => p!["postId"].Long()));
    }

    [Fact]
    public async Task New_writes_continue_the_old_data()
    {
        await using var pulse = Start();
        var client = pulse.CreateClient();

        var (user, userBody) = await client.PostAsync("/api/v1/users", new { externalId = "after-upgrade", userAttributes = """{"email":"new@example.com"}""" });
        var (saved, savedBody) = await client.PostAsync("/api/v1/events", new
        {
            name = "purchase",
            campaignName = "fixture-spring-sale",
            externalId = "after-upgrade",
            properties = new[] { new { key = "amount", value = "500" }, new { key = "action", value = "buy" } },
        });
        var (_, sale) = await client.GetJsonAsync("/api/v1/events/campaign/1");
        var found = await SearchAsync(client, "purchase", "amount&100&>&end");
        var (_, clicksBefore) = await client.GetJsonAsync("/api/statistics?eventType=CLICK&componentId=1002");
        var (tracked, _) = await client.PostAsync("/api/events", new { eventType = "CLICK", sessionId = "s-new", metadata = new { componentId = 1002 } });
        var (_, clicksAfter) = await client.GetJsonAsync("/api/statistics?eventType=CLICK&componentId=1002");
        var (_, post) = await client.PostAsync("/api/posts", new { userId = 11, content = "after", hashtags = new[] { "일상" } });
        var (_, like) = await client.PostAsync("/api/posts/like", new { postId = 3, userId = 11 });
        var (_, daily) = await client.GetJsonAsync($"/api/search?userId=11&keyword={Uri.EscapeDataString("일상")}");

        Assert.Equal(HttpStatusCode.OK, user.StatusCode);
        Assert.Equal(4, userBody["data"]!["id"].Long());
        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        Assert.Equal(10, savedBody["data"]!["id"].Long());
        Assert.Equal("Event saved with campaign", savedBody["data"]!["message"].Str());
        Assert.Equal(5, sale["data"]!["linkedEventCount"].Long());
        Assert.Equal([1L, 2L, 10L], found.Select(e => e!["id"].Long()));
        Assert.Equal(HttpStatusCode.Created, tracked.StatusCode);
        Assert.Equal(clicksBefore["count"].Long() + 1, clicksAfter["count"].Long());
        Assert.Equal(4, post["postId"].Long());
        Assert.Equal(1, like["likeCount"].Long());
        Assert.Equal([1L, 2L, 4L], daily.AsArray().Select(p => p!["postId"].Long()));
    }

    [Fact]
    public async Task Starting_again_reruns_migrations_without_changing_anything()
    {
        await using (var first = Start())
        {
            var (saved, _) = await first.CreateClient().PostAsync("/api/v1/events", new
            {
                name = "view",
                externalId = "fixture-alice",
                properties = new[] { new { key = "page", value = "/again" } },
            });
            Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        }

        var migrations = await ScalarAsync("SELECT group_concat(version || ':' || applied_at) FROM schema_migrations");
        SqliteConnection.ClearAllPools();

        await using var second = Start();
        var client = second.CreateClient();
        var (_, count) = await client.GetJsonAsync("/api/v1/users/count");
        var (_, sale) = await client.GetJsonAsync("/api/v1/events/campaign/1");
        var found = await SearchAsync(client, null, "page&/again&=&end");

        Assert.Equal(migrations, await ScalarAsync("SELECT group_concat(version || ':' || applied_at) FROM schema_migrations"));
        Assert.Equal(3, count["data"]!["totalCount"].Long());
        Assert.Equal(4, sale["data"]!["linkedEventCount"].Long());
        Assert.Equal([10L], found.Select(e => e!["id"].Long()));
        Assert.Equal("ok", await ScalarAsync("PRAGMA integrity_check"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private WebApplicationFactory<Program> Start() =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder.UseSetting("ConnectionStrings:Sqlite", $"Data Source={_database}"));

    private static async Task<JsonArray> SearchAsync(HttpClient client, string? eventName, string where)
    {
        var name = eventName is null ? string.Empty : $"eventName={eventName}&";
        var (response, body) = await client.GetJsonAsync($"/api/v1/events?{name}where={Uri.EscapeDataString(where)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return body["data"]!["events"]!.AsArray();
    }

    private async Task<string> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    /// <summary>The fixture in the test project's source tree (tests run where they were built).</summary>
    private static string FixturePath(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "Fixtures", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"Fixtures/{name} not found above {AppContext.BaseDirectory}.");
    }
}
