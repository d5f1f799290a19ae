using System.Net;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Crm;

public abstract class CampaignsApiTests(PulseFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task Creating_a_campaign_answers_201_with_its_properties()
    {
        var name = TestEnvironment.Unique("campaign");
        var (response, body) = await _client.PostAsync("/api/v1/events/campaign", new
        {
            name,
            properties = new[] { new { key = "action", value = "buy" }, new { key = "amount", value = "1000" } },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var data = body["data"]!;
        Assert.Equal(name, data["name"].Str());
        Assert.Equal("action", data["properties"]![0]!["key"].Str());
        Assert.Equal("1000", data["properties"]![1]!["value"].Str());
    }

    [Fact]
    public async Task A_duplicate_name_is_a_conflict()
    {
        var name = TestEnvironment.Unique("campaign");
        await _client.CreateCampaignAsync(name, "a");

        var (response, body) = await _client.PostAsync("/api/v1/events/campaign", new { name, properties = Array.Empty<object>() });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains(name, body["message"].Str(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Racing_creates_of_one_name_make_exactly_one_campaign()
    {
        var name = TestEnvironment.Unique("race");
        var attempts = Enumerable.Range(0, 16).Select(_ => _client.PostAsync("/api/v1/events/campaign", new
        {
            name,
            properties = new[] { new { key = "k", value = "v" } },
        }));

        var statuses = (await Task.WhenAll(attempts)).Select(r => r.Response.StatusCode).ToList();

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(15, statuses.Count(s => s == HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task Keys_must_be_unique_within_the_list()
    {
        var (response, body) = await _client.PostAsync("/api/v1/events/campaign", new
        {
            name = TestEnvironment.Unique("campaign"),
            properties = new[] { new { key = "a", value = "1" }, new { key = "a", value = "2" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Duplicate key 'a'", body["errors"]!["properties[1].key"]![0].Str(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_campaign_needs_a_name()
    {
        var (response, body) = await _client.PostAsync("/api/v1/events/campaign", new { properties = Array.Empty<object>() });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(body["errors"]!["name"]);
    }

    [Fact]
    public async Task Reading_a_campaign_shows_its_linked_event_count()
    {
        var name = TestEnvironment.Unique("campaign");
        var id = await _client.CreateCampaignAsync(name, "action");
        var user = TestEnvironment.Unique("user");
        await _client.CreateUserAsync(user);
        await _client.SaveEventAsync("purchase", user, name, ("action", "buy"));
        await _client.SaveEventAsync("purchase", user, name, ("action", "sell"));
        await _client.SaveEventAsync("purchase", user, name, ("other", "x"));

        var (response, body) = await _client.GetJsonAsync($"/api/v1/events/campaign/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, body["data"]!["linkedEventCount"].Long());
        Assert.Equal(name, body["data"]!["name"].Str());
    }

    [Fact]
    public async Task An_unknown_campaign_id_is_not_found()
    {
        var (response, _) = await _client.GetJsonAsync("/api/v1/events/campaign/987654321");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Campaigns_are_listed_in_pages()
    {
        var name = TestEnvironment.Unique("listed");
        await _client.CreateCampaignAsync(name, "a");

        var (response, body) = await _client.GetJsonAsync("/api/v1/events/campaign?page=0&size=100");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = body["data"]!["campaigns"]!;
        Assert.Contains(page["content"]!.AsArray(), c => c!["name"].Str() == name);
        Assert.True(page["totalElements"].Long() >= 1);
    }
}

public sealed class CampaignsApiTests_Embedded(EmbeddedFixture fixture) : CampaignsApiTests(fixture), IClassFixture<EmbeddedFixture>;

public sealed class CampaignsApiTests_Server(ServerFixture fixture) : CampaignsApiTests(fixture), IClassFixture<ServerFixture>;
