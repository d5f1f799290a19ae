using System.Net;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Crm;

public abstract class EventsApiTests(PulseFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task An_event_without_a_campaign_is_saved_successfully()
    {
        var user = await NewUserAsync();
        var data = await _client.SaveEventAsync("login", user, null, ("device", "ios"));

        Assert.Equal("Event saved successfully", data["message"].Str());
        Assert.True(data["id"].Long() > 0);
    }

    [Fact]
    public async Task An_event_with_the_campaigns_keys_in_any_order_is_linked()
    {
        var user = await NewUserAsync();
        var campaign = TestEnvironment.Unique("campaign");
        var campaignId = await _client.CreateCampaignAsync(campaign, "action", "amount");

        var data = await _client.SaveEventAsync("purchase", user, campaign, ("amount", "1000"), ("action", "buy"));

        Assert.Equal("Event saved with campaign", data["message"].Str());
        var (_, details) = await _client.GetJsonAsync($"/api/v1/events/campaign/{campaignId}");
        Assert.Equal(1, details["data"]!["linkedEventCount"].Long());
    }

    [Fact]
    public async Task An_event_naming_an_unknown_campaign_is_saved_but_not_in_campaign()
    {
        var user = await NewUserAsync();
        var data = await _client.SaveEventAsync("purchase", user, TestEnvironment.Unique("nope"), ("action", "buy"));

        Assert.Equal("Event saved but not in campaign", data["message"].Str());
    }

    [Theory]
    [InlineData("action")]
    [InlineData("action,amount,extra")]
    [InlineData("action,price")]
    public async Task An_event_with_mismatched_keys_is_saved_but_not_linked(string eventKeys)
    {
        var user = await NewUserAsync();
        var campaign = TestEnvironment.Unique("campaign");
        var campaignId = await _client.CreateCampaignAsync(campaign, "action", "amount");

        var data = await _client.SaveEventAsync("purchase", user, campaign, [.. eventKeys.Split(',').Select(k => (k, "1"))]);

        Assert.Equal("Campaign properties and Event properties mismatch", data["message"].Str());
        var (_, details) = await _client.GetJsonAsync($"/api/v1/events/campaign/{campaignId}");
        Assert.Equal(0, details["data"]!["linkedEventCount"].Long());
        Assert.Single(await _client.SearchAsync($"after={data["id"].Long() - 1}&limit=1"));
    }

    [Fact]
    public async Task A_campaign_created_after_a_miss_is_found_by_the_next_event()
    {
        var user = await NewUserAsync();
        var campaign = TestEnvironment.Unique("late");
        Assert.Equal("Event saved but not in campaign", (await _client.SaveEventAsync("e", user, campaign, ("k", "v")))["message"].Str());

        await _client.CreateCampaignAsync(campaign, "k");

        Assert.Equal("Event saved with campaign", (await _client.SaveEventAsync("e", user, campaign, ("k", "v")))["message"].Str());
    }

    [Fact]
    public async Task An_unknown_user_is_not_found_and_nothing_is_stored()
    {
        var name = TestEnvironment.Unique("ghost-event");
        var (response, body) = await _client.PostAsync("/api/v1/events", new { name, externalId = TestEnvironment.Unique("ghost"), properties = Array.Empty<object>() });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("externalId", body["message"].Str(), StringComparison.Ordinal);
        Assert.Empty(await _client.SearchAsync("eventName=" + name));
    }

    [Fact]
    public async Task A_batch_saves_the_valid_items_and_reports_each_one()
    {
        var user = await NewUserAsync();
        var campaign = TestEnvironment.Unique("campaign");
        await _client.CreateCampaignAsync(campaign, "a");
        var name = TestEnvironment.Unique("batch");

        var (response, body) = await _client.PostAsync("/api/v1/events/batch", new object[]
        {
            new { name, externalId = user, campaignName = campaign, properties = new[] { new { key = "a", value = "1" } } },
            new { name, externalId = TestEnvironment.Unique("ghost"), properties = Array.Empty<object>() },
            new { externalId = user, properties = Array.Empty<object>() },
            new { name, externalId = user, properties = new[] { new { key = "b", value = "2" } } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = body["data"]!["results"]!.AsArray();
        Assert.Equal([201, 404, 400, 201], results.Select(r => r!["status"]!.GetValue<int>()));
        Assert.Equal("Event saved with campaign", results[0]!["message"].Str());
        Assert.NotNull(results[2]!["errors"]!["name"]);
        Assert.Equal(2, body["data"]!["saved"]!.GetValue<int>());
        Assert.Equal(2, body["data"]!["failed"]!.GetValue<int>());
        var stored = await _client.SearchAsync("eventName=" + name);
        Assert.Equal([results[0]!["id"].Long(), results[3]!["id"].Long()], stored.Select(e => e!["id"].Long()));
    }

    [Fact]
    public async Task An_empty_batch_is_a_bad_request()
    {
        var (response, _) = await _client.PostRawAsync("/api/v1/events/batch", "[]");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Stored_events_come_back_with_their_properties_in_order()
    {
        var user = await NewUserAsync();
        var name = TestEnvironment.Unique("roundtrip");
        var saved = await _client.SaveEventAsync(name, user, null, ("z", "last"), ("a", "first"), ("한글", "고양이 🐱"));

        var found = Assert.Single(await _client.SearchAsync("eventName=" + name));

        Assert.Equal(saved["id"].Long(), found!["id"].Long());
        Assert.Equal(user, found["externalId"].Str());
        Assert.Equal(["z", "a", "한글"], found["properties"]!.AsArray().Select(p => p!["key"].Str()));
        Assert.Equal("고양이 🐱", found["properties"]![2]!["value"].Str());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", found["createdAt"].Str());
    }

    private async Task<string> NewUserAsync()
    {
        var externalId = TestEnvironment.Unique("user");
        await _client.CreateUserAsync(externalId);
        return externalId;
    }
}

public sealed class EventsApiTests_Embedded(EmbeddedFixture fixture) : EventsApiTests(fixture), IClassFixture<EmbeddedFixture>;

public sealed class EventsApiTests_Server(ServerFixture fixture) : EventsApiTests(fixture), IClassFixture<ServerFixture>;

public sealed class EventsApiTests_Cluster(ClusterFixture fixture) : EventsApiTests(fixture), IClassFixture<ClusterFixture>;
