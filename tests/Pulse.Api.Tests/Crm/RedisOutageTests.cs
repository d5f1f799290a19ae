using System.Diagnostics;
using System.Net;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Crm;

/// <summary>Redis is a cache: when it dies, the CRM API keeps answering from PostgreSQL.</summary>
public sealed class RedisOutageTests(PrivateRedisFixture fixture) : IClassFixture<PrivateRedisFixture>
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task Requests_succeed_from_the_database_while_redis_is_down_and_readiness_says_so()
    {
        var campaign = TestEnvironment.Unique("campaign");
        await _client.CreateCampaignAsync(campaign, "k");
        // Each probe has 2 s to answer, which a busy machine can exceed once: ask until ready.
        await Eventually.HoldsAsync(
            async () => (await _client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK,
            "Pulse ready before Redis is killed");

        fixture.Redis.Kill();
        var clock = Stopwatch.StartNew();

        // Entities never seen by this instance must come from the database (memory has nothing).
        var user = TestEnvironment.Unique("user");
        await _client.CreateUserAsync(user);
        var saved = await _client.SaveEventAsync("during-outage", user, campaign, ("k", "v"));
        var secondCampaign = TestEnvironment.Unique("campaign");
        await _client.CreateCampaignAsync(secondCampaign, "x");
        var linked = await _client.SaveEventAsync("during-outage", user, secondCampaign, ("x", "1"));
        var (list, _) = await _client.GetJsonAsync("/api/v1/users?page=0&size=5");
        var ready = await _client.GetAsync("/health/ready");

        Assert.Equal("Event saved with campaign", saved["message"].Str());
        Assert.Equal("Event saved with campaign", linked["message"].Str());
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the outage slowed requests to {clock.Elapsed}");

        await fixture.Redis.StartAsync();
        await Eventually.HoldsAsync(
            async () => (await _client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK,
            "Pulse ready again after Redis came back");
        var afterRecovery = TestEnvironment.Unique("user");
        await _client.CreateUserAsync(afterRecovery);
        Assert.Equal("Event saved successfully", (await _client.SaveEventAsync("after", afterRecovery, null))["message"].Str());
    }
}
