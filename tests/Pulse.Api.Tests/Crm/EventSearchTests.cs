using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Core.Events;

namespace Pulse.Api.Tests.Crm;

/// <summary>The where DSL end to end, on data each test seeds under its own event name.</summary>
public abstract class EventSearchTests(PulseFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task The_seed_readmes_unencoded_query_works_as_printed()
    {
        var (name, ids) = await SeedAsync(("action", "buy"), ("action", "sell"), ("action", "BUY"));

        var found = await _client.SearchAsync($"eventName={name}&where=action&buy&=&end");

        Assert.Equal([ids[0]], IdsOf(found));
    }

    [Fact]
    public async Task The_encoded_form_works_with_parameters_after_it()
    {
        var (name, ids) = await SeedAsync(("action", "buy"), ("action", "sell"));

        var found = await _client.SearchAsync($"where={CrmClient.Encode("action&sell&=&end")}&eventName={name}&limit=10");

        Assert.Equal([ids[1]], IdsOf(found));
    }

    [Theory]
    [InlineData("price&9&>&end", "10,100,abc")]
    [InlineData("price&10&>=&end", "10,100,abc")]
    [InlineData("price&10&<&end", "9")]
    [InlineData("price&100&<=&end", "9,10,100")]
    [InlineData("price&10&!=&end", "9,100,abc")]
    [InlineData("price&10&price&100&between&end", "10,100")]
    [InlineData("price&ab&like&end", "abc")]
    [InlineData("price&abb&<&end", "10,100,9")]
    public async Task Comparisons_are_numeric_for_numbers_and_ordinal_for_text(string where, string expected)
    {
        // Numeric only when both sides are numbers: 10 > 9 numerically, but "abc" > "9" as text.
        var (name, _) = await SeedAsync(("price", "9"), ("price", "10"), ("price", "100"), ("price", "abc"));

        var found = await _client.SearchAsync($"eventName={name}&where={CrmClient.Encode(where)}");

        Assert.Equal(expected.Split(',').Order(StringComparer.Ordinal), ValuesOf(found, "price").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Joins_apply_left_to_right_without_precedence()
    {
        // a=1 AND b=1 OR c=1 is ((a AND b) OR c): the event with only c matches; with precedence
        // a AND (b OR c) it would not.
        var (name, ids) = await SeedManyAsync(
            [("a", "1"), ("b", "1")],
            [("c", "1")],
            [("a", "1")],
            [("b", "1"), ("c", "0")]);

        var found = await _client.SearchAsync($"eventName={name}&where={CrmClient.Encode("a&1&=&and, b&1&=&or, c&1&=&end")}");

        Assert.Equal([ids[0], ids[1]], IdsOf(found));
    }

    [Fact]
    public async Task String_comparison_is_case_sensitive_and_values_are_never_sql()
    {
        var (name, ids) = await SeedAsync(("q", "buy"), ("q", "BUY"), ("q", "' OR 1=1 --"));

        Assert.Equal([ids[1]], IdsOf(await _client.SearchAsync($"eventName={name}&where={CrmClient.Encode("q&BUY&=&end")}")));
        Assert.Equal([ids[2]], IdsOf(await _client.SearchAsync($"eventName={name}&where={CrmClient.Encode("q&' OR 1=1 --&=&end")}")));
        Assert.Empty(await _client.SearchAsync($"eventName={CrmClient.Encode("x' OR '1'='1")}"));
    }

    [Fact]
    public async Task Results_are_paged_by_cursor_in_id_order()
    {
        var (name, ids) = await SeedAsync(("n", "1"), ("n", "2"), ("n", "3"), ("n", "4"), ("n", "5"));

        var (_, first) = await _client.GetJsonAsync($"/api/v1/events?eventName={name}&limit=2");
        var cursor = first["data"]!["nextCursor"].Long();
        var second = await _client.SearchAsync($"eventName={name}&limit=2&after={cursor}");
        var newestFirst = await _client.SearchAsync($"eventName={name}&limit=2&order=desc");

        Assert.Equal(ids[..2], IdsOf(first["data"]!["events"]!.AsArray()));
        Assert.Equal(ids[2..4], IdsOf(second));
        Assert.Equal([ids[4], ids[3]], IdsOf(newestFirst));
    }

    [Fact]
    public async Task A_time_range_limits_the_results()
    {
        var (name, _) = await SeedAsync(("n", "1"));
        var later = DateTimeOffset.UtcNow.AddMinutes(5).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var earlier = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Single(await _client.SearchAsync($"eventName={name}&from={earlier}&to={later}"));
        Assert.Empty(await _client.SearchAsync($"eventName={name}&from={later}"));
        Assert.Empty(await _client.SearchAsync($"eventName={name}&to={earlier}"));
    }

    [Fact]
    public async Task Crm_events_carry_their_creation_time_as_event_time_and_receive_time()
    {
        var (name, _) = await SeedAsync(("n", "1"));

        var found = Assert.Single(await _client.SearchAsync($"eventName={name}"))!;

        Assert.Equal(found["createdAt"].Str(), found["timestamp"].Str());
        Assert.Equal(found["createdAt"].Str(), found["receivedAt"].Str());
    }

    [Fact]
    public async Task From_and_to_filter_on_the_event_time_not_on_the_receive_time()
    {
        // Written below the HTTP API, as SDK messages will be: received now, happened three days ago.
        var user = TestEnvironment.Unique("user");
        var userId = await _client.CreateUserAsync(user);
        var name = TestEnvironment.Unique("backdated");
        var now = DateTimeOffset.UtcNow;
        var happened = now.AddDays(-3);
        var writer = fixture.Services.GetRequiredService<IEventWriter>();
        var ids = await writer.WriteAsync([new EventWrite(name, userId, user, [], null, now) { Timestamp = happened }], CancellationToken.None);

        var thatDay = await _client.SearchAsync($"eventName={name}&from={Iso(happened.AddHours(-1))}&to={Iso(happened.AddHours(1))}");
        var today = await _client.SearchAsync($"eventName={name}&from={Iso(now.AddHours(-1))}");

        var found = Assert.Single(thatDay)!;
        Assert.Equal(ids[0], found["id"].Long());
        Assert.Equal(Iso(happened), found["timestamp"].Str());
        Assert.Equal(Iso(now), found["receivedAt"].Str());
        Assert.Empty(today);
    }

    [Theory]
    [InlineData("action&buy&=", "condition 1")]
    [InlineData("a&1&=&and,b&2&lik&end", "condition 2 (at character 14)")]
    [InlineData("price&10&cost&20&between&end", "between")]
    [InlineData("a&1&=&xor", "join")]
    [InlineData("&1&=&end", "key")]
    public async Task Malformed_where_is_a_bad_request_that_says_where(string where, string expected)
    {
        var (response, body) = await _client.GetJsonAsync($"/api/v1/events?where={CrmClient.Encode(where)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, body["errors"]!["where"]![0].Str(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    [InlineData("from=yesterday")]
    [InlineData("order=sideways")]
    public async Task Bad_search_parameters_are_bad_requests(string query)
    {
        var (response, _) = await _client.GetJsonAsync("/api/v1/events?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private Task<(string Name, long[] Ids)> SeedAsync(params (string Key, string Value)[] onePropertyEach) =>
        SeedManyAsync([.. onePropertyEach.Select(p => new[] { p })]);

    private async Task<(string Name, long[] Ids)> SeedManyAsync(params (string Key, string Value)[][] events)
    {
        var user = TestEnvironment.Unique("user");
        await _client.CreateUserAsync(user);
        var name = TestEnvironment.Unique("search");
        var ids = new long[events.Length];
        for (var i = 0; i < events.Length; i++)
        {
            ids[i] = (await _client.SaveEventAsync(name, user, null, events[i]))["id"].Long();
        }

        return (name, ids);
    }

    private static string Iso(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static long[] IdsOf(System.Text.Json.Nodes.JsonArray events) => [.. events.Select(e => e!["id"].Long())];

    private static IEnumerable<string> ValuesOf(System.Text.Json.Nodes.JsonArray events, string key) =>
        events.Select(e => e!["properties"]!.AsArray().First(p => p!["key"].Str() == key)!["value"].Str());
}

public sealed class EventSearchTests_Embedded(EmbeddedFixture fixture) : EventSearchTests(fixture), IClassFixture<EmbeddedFixture>;

public sealed class EventSearchTests_Server(ServerFixture fixture) : EventSearchTests(fixture), IClassFixture<ServerFixture>;
