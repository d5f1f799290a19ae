using System.Net;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Crm;

/// <summary>Bad input is a 4xx problem with a clear message; it never writes anything or leaks internals.</summary>
public abstract class HostileInputTests(PulseFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    [Theory]
    [InlineData("/api/v1/events", "{\"name\": \"x\", ")]
    [InlineData("/api/v1/events", "{\"name\": 42, \"externalId\": \"u\"}")]
    [InlineData("/api/v1/events", "{\"name\": \"x\", \"externalId\": \"u\", \"properties\": {\"key\": \"a\"}}")]
    [InlineData("/api/v1/events", "{\"name\": \"x\", \"externalId\": \"u\", \"properties\": [{\"key\": \"a\", \"value\": 5}]}")]
    [InlineData("/api/v1/users", "{\"id\": \"seven\", \"externalId\": \"u\"}")]
    [InlineData("/api/v1/events/campaign", "[]")]
    [InlineData("/api/v1/events/batch", "{\"not\": \"an array\"}")]
    [InlineData("/api/v1/events", "")]
    public async Task Malformed_or_mistyped_json_is_a_problem_400(string url, string json)
    {
        var (response, body) = await _client.PostRawAsync(url, json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(400, body["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(body["message"].Str()));
        AssertNoInternals(body.Compact());
    }

    [Fact]
    public async Task Overlong_strings_and_too_many_properties_are_rejected()
    {
        var user = TestEnvironment.Unique("user");
        await _client.CreateUserAsync(user);
        var tooMany = Enumerable.Range(0, 65).Select(i => new { key = $"k{i}", value = "v" }).ToArray();

        var (longName, _) = await _client.PostAsync("/api/v1/events", new { name = new string('n', 201), externalId = user, properties = Array.Empty<object>() });
        var (longValue, _) = await _client.PostAsync("/api/v1/events", new { name = "x", externalId = user, properties = new[] { new { key = "k", value = new string('v', 501) } } });
        var (many, body) = await _client.PostAsync("/api/v1/events", new { name = "x", externalId = user, properties = tooMany });

        Assert.Equal(HttpStatusCode.BadRequest, longName.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, longValue.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, many.StatusCode);
        Assert.Contains("64", body["errors"]!["properties"]![0].Str(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sql_looking_and_unicode_values_are_stored_verbatim()
    {
        var user = TestEnvironment.Unique("user'; DROP TABLE users; --");
        await _client.CreateUserAsync(user, "robert'); DROP TABLE events;--@example.com");
        var name = TestEnvironment.Unique("'; DELETE FROM events; --");
        (string, string)[] properties = [("'; DROP TABLE event_properties; --", "1' OR '1'='1"), ("이모지", "🎉🐱 강아지"), ("quote\"back\\slash", "%_%")];

        await _client.SaveEventAsync(name, user, null, properties);

        var found = Assert.Single(await _client.SearchAsync("eventName=" + CrmClient.Encode(name)));
        Assert.Equal(properties.Select(p => p.Item2), found!["properties"]!.AsArray().Select(p => p!["value"].Str()));
        var (_, count) = await _client.GetJsonAsync("/api/v1/users/count");
        Assert.True(count["data"]!["totalCount"].Long() >= 1);
    }

    [Fact]
    public async Task Duplicate_event_property_keys_are_rejected()
    {
        var user = TestEnvironment.Unique("user");
        await _client.CreateUserAsync(user);

        var (response, _) = await _client.PostAsync("/api/v1/events", new { name = "x", externalId = user, properties = new[] { new { key = "a", value = "1" }, new { key = "a", value = "2" } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_routes_answer_a_problem_404()
    {
        var (response, body) = await _client.GetJsonAsync("/api/v1/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(404, body["status"]!.GetValue<int>());
    }

    private static void AssertNoInternals(string body)
    {
        foreach (var leak in new[] { "System.", "Npgsql", "Sqlite", "   at ", "Exception", "SELECT", "INSERT" })
        {
            Assert.DoesNotContain(leak, body, StringComparison.Ordinal);
        }
    }
}

public sealed class HostileInputTests_Embedded(EmbeddedFixture fixture) : HostileInputTests(fixture), IClassFixture<EmbeddedFixture>;

public sealed class HostileInputTests_Server(ServerFixture fixture) : HostileInputTests(fixture), IClassFixture<ServerFixture>;
