using Pulse.Redis.Tests.Infrastructure;

namespace Pulse.Redis.Tests;

/// <summary>The shared lookup cache and its invalidation broadcast, on one server and on a cluster.</summary>
public abstract class SharedCacheTests(IRedisTarget target)
{
    [Fact]
    public async Task A_value_is_stored_with_its_lifetime_under_the_prefix_and_invalidation_removes_it()
    {
        await using var redis = await TestKeyspace.ConnectAsync(target.Configuration);
        var cache = new RedisSharedCache(redis.Keyspace, redis.Logger<RedisSharedCache>());
        var key = "user:ext:" + Guid.NewGuid().ToString("N");

        await cache.SetAsync(key, "{\"id\":1}"u8.ToArray(), TimeSpan.FromMinutes(5), default);

        Assert.Equal("{\"id\":1}"u8.ToArray(), await cache.GetAsync(key, default));
        Assert.InRange((await redis.Database.KeyTimeToLiveAsync(redis.Keyspace.KeyPrefix + key))!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        await cache.InvalidateAsync(key, default);
        Assert.Null(await cache.GetAsync(key, default));
        Assert.False(await redis.Database.KeyExistsAsync(redis.Keyspace.KeyPrefix + key));
        Assert.Empty(redis.Logs.Messages);
    }

    [Fact]
    public async Task An_invalidation_is_heard_by_every_instance_of_the_deployment_and_by_no_other()
    {
        var prefix = TestKeys.Unique("deployment") + ":";
        await using var first = await TestKeyspace.ConnectAsync(target.Configuration, prefix);
        await using var second = await TestKeyspace.ConnectAsync(target.Configuration, prefix);
        await using var other = await TestKeyspace.ConnectAsync(target.Configuration);
        var caches = new[] { first, second, other }.Select(redis => new RedisSharedCache(redis.Keyspace, redis.Logger<RedisSharedCache>())).ToArray();
        var heard = caches.Select(_ => new List<string>()).ToArray();
        for (var i = 0; i < caches.Length; i++)
        {
            var log = heard[i];
            caches[i].OnInvalidated(key => { lock (log) { log.Add(key); } });
            await caches[i].StartAsync(default);
        }

        await caches[0].InvalidateAsync("campaign:name:spring", default);

        await Eventually.SucceedsAsync(
            () => Task.FromResult(heard[1].Count > 0), Eventually.Patience, "the second instance hearing the invalidation");
        // The invalidating instance drops its copy at once, and again when its own broadcast arrives.
        Assert.Contains("campaign:name:spring", heard[0]);
        Assert.All(heard[0], key => Assert.Equal("campaign:name:spring", key));
        Assert.Equal(["campaign:name:spring"], heard[1]);
        await Task.Delay(200);
        Assert.Empty(heard[2]);
    }
}

public sealed class SharedCacheTests_Server(RedisServerFixture redis) : SharedCacheTests(redis), IClassFixture<RedisServerFixture>;

public sealed class SharedCacheTests_Cluster(RedisClusterFixture redis) : SharedCacheTests(redis), IClassFixture<RedisClusterFixture>;
