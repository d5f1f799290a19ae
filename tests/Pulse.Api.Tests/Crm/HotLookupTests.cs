using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Crm;

/// <summary>Steady-state ingestion never asks the database who a user or a campaign is.</summary>
public abstract class HotLookupTests(PulseFixture fixture, LookupCounter counter)
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task Repeated_events_look_up_user_and_campaign_from_memory()
    {
        var user = TestEnvironment.Unique("user");
        var campaign = TestEnvironment.Unique("campaign");
        await _client.CreateUserAsync(user);
        await _client.CreateCampaignAsync(campaign, "k");
        await _client.SaveEventAsync("warm-up", user, campaign, ("k", "v"));
        var before = counter.Lookups;

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal("Event saved with campaign", (await _client.SaveEventAsync("hot", user, campaign, ("k", "v")))["message"].Str());
        }

        Assert.Equal(before, counter.Lookups);
    }
}

public sealed class HotLookupTests_Embedded(CountingEmbeddedFixture fixture) : HotLookupTests(fixture, fixture.Counter), IClassFixture<CountingEmbeddedFixture>;

public sealed class HotLookupTests_Server(CountingServerFixture fixture) : HotLookupTests(fixture, fixture.Counter), IClassFixture<CountingServerFixture>;
