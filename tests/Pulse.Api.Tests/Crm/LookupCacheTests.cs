using Microsoft.Extensions.DependencyInjection;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Redis;

namespace Pulse.Api.Tests.Crm;

/// <summary>Users and campaigns are read through Redis in server mode, on one node and on a cluster.</summary>
public abstract class LookupCacheTests(ServerFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task Created_users_and_campaigns_are_cached_in_redis_for_other_instances()
    {
        var user = TestEnvironment.Unique("user");
        var campaign = TestEnvironment.Unique("campaign");
        await _client.CreateUserAsync(user);
        await _client.CreateCampaignAsync(campaign, "k");
        var cache = fixture.Services.GetRequiredService<RedisKeyspace>();

        string? userJson = await cache.Database.StringGetAsync(cache.Key("user:ext:" + user));
        string? campaignJson = await cache.Database.StringGetAsync(cache.Key("campaign:name:" + campaign));

        Assert.NotNull(userJson);
        Assert.Contains(user, userJson, StringComparison.Ordinal);
        Assert.NotNull(campaignJson);
        Assert.Contains(campaign, campaignJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Updating_a_user_removes_the_cached_copy()
    {
        var user = TestEnvironment.Unique("user");
        var id = await _client.CreateUserAsync(user);
        await _client.SaveEventAsync("e", user, null);
        var cache = fixture.Services.GetRequiredService<RedisKeyspace>();
        Assert.True(await cache.Database.KeyExistsAsync(cache.Key("user:ext:" + user)));

        await _client.PostAsync("/api/v1/users", new { id, userAttributes = "{\"email\":\"changed@example.com\"}" });

        Assert.False(await cache.Database.KeyExistsAsync(cache.Key("user:ext:" + user)));
    }
}

public sealed class LookupCacheTests_Server(ServerFixture fixture) : LookupCacheTests(fixture), IClassFixture<ServerFixture>;

public sealed class LookupCacheTests_Cluster(ClusterFixture fixture) : LookupCacheTests(fixture), IClassFixture<ClusterFixture>;
