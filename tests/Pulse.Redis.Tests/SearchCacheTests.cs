using Pulse.Core.Posts;
using Pulse.Redis.Posts;
using Pulse.Redis.Tests.Infrastructure;

namespace Pulse.Redis.Tests;

/// <summary>The search-result cache, its fill lock and recent keywords, on one server and on a cluster.</summary>
public abstract class SearchCacheTests(IRedisTarget target) : IAsyncLifetime
{
    private TestKeyspace _redis = null!;
    private RedisSearchResultCache _cache = null!;
    private RedisRecentKeywords _recent = null!;

    public async Task InitializeAsync()
    {
        _redis = await TestKeyspace.ConnectAsync(target.Configuration);
        _cache = new RedisSearchResultCache(_redis.Keyspace, _redis.Logger<RedisSearchResultCache>());
        _recent = new RedisRecentKeywords(_redis.Keyspace, _redis.Logger<RedisRecentKeywords>());
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Theory]
    [InlineData("고양이")]
    [InlineData("{tag}")]
    [InlineData("a}b{c")]
    public async Task Results_are_a_miss_then_a_hit_until_they_expire(string keyword)
    {
        keyword += Guid.NewGuid().ToString("N");
        var entry = new SearchCacheEntry([], DateTimeOffset.UnixEpoch.AddDays(1), TimeSpan.FromMilliseconds(3));
        Assert.Equal(CacheReadStatus.Miss, (await _cache.GetAsync(keyword, default)).Status);

        await _cache.SetAsync(keyword, entry, TimeSpan.FromSeconds(1), default);
        var hit = await _cache.GetAsync(keyword, default);

        Assert.Equal(CacheReadStatus.Hit, hit.Status);
        Assert.Equal(entry.ExpiresAt, hit.Entry!.ExpiresAt);
        Assert.Equal(_redis.Keyspace.KeyPrefix + "search:result:" + keyword, _cache.ResultKey(keyword).ToString());
        await Eventually.SucceedsAsync(
            async () => (await _cache.GetAsync(keyword, default)).Status == CacheReadStatus.Miss, Eventually.Patience, "the entry expiring");
    }

    [Fact]
    public async Task The_fill_lock_is_exclusive_for_its_lease_and_released_only_by_its_token()
    {
        var keyword = Guid.NewGuid().ToString("N");
        Assert.Equal(LockAttempt.Acquired, await _cache.TryAcquireLockAsync(keyword, "first", TimeSpan.FromSeconds(30), default));
        Assert.Equal(LockAttempt.Busy, await _cache.TryAcquireLockAsync(keyword, "second", TimeSpan.FromSeconds(30), default));
        var lease = await _redis.Database.KeyTimeToLiveAsync(_cache.LockKey(keyword));

        await _cache.ReleaseLockAsync(keyword, "second", default);
        Assert.Equal("first", await _redis.Database.StringGetAsync(_cache.LockKey(keyword)));
        await _cache.ReleaseLockAsync(keyword, "first", default);

        Assert.InRange(lease!.Value, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(30));
        Assert.False(await _redis.Database.KeyExistsAsync(_cache.LockKey(keyword)));
        Assert.Equal(LockAttempt.Acquired, await _cache.TryAcquireLockAsync(keyword, "second", TimeSpan.FromSeconds(30), default));
    }

    [Fact]
    public async Task Recent_keywords_are_newest_first_unique_at_most_ten_and_expire_an_hour_after_the_last_push()
    {
        var user = Random.Shared.NextInt64(1, long.MaxValue);
        for (var i = 0; i < 12; i++)
        {
            await _recent.PushAsync(user, "k" + i, default);
        }

        await _recent.PushAsync(user, "k5", default);

        Assert.Equal(["k5", "k11", "k10", "k9", "k8", "k7", "k6", "k4", "k3", "k2"], await _recent.GetAsync(user, default));
        Assert.InRange((await _redis.Database.KeyTimeToLiveAsync(_recent.Key(user)))!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        Assert.Empty(await _recent.GetAsync(user + 1, default));
    }
}

public sealed class SearchCacheTests_Server(RedisServerFixture redis) : SearchCacheTests(redis), IClassFixture<RedisServerFixture>;

public sealed class SearchCacheTests_Cluster(RedisClusterFixture redis) : SearchCacheTests(redis), IClassFixture<RedisClusterFixture>;
