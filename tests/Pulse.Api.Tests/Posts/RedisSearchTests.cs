using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Core.Posts;
using Pulse.Redis;
using Pulse.Redis.Posts;

namespace Pulse.Api.Tests.Posts;

/// <summary>What server mode keeps in Redis, read from Redis itself: key lifetimes and the fill lock's key.</summary>
public abstract class RedisSearchTests(ServerFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    private RedisSearchResultCache Cache => fixture.Services.GetRequiredService<RedisSearchResultCache>();

    [Fact]
    public async Task Cached_results_expire_in_redis_within_sixty_to_seventy_seconds()
    {
        var tag = PostsClient.NewTag("고양이");
        await _client.CreatePostAsync(tag);
        var sinceSearch = Stopwatch.StartNew();
        await _client.SearchAsync(tag);

        var ttl = await PttlAsync(Cache.ResultKey(tag));

        AssertLifetime(ttl, SearchCachePolicy.TimeToLive, SearchCachePolicy.TimeToLive + SearchCachePolicy.MaxJitter, sinceSearch.Elapsed);
    }

    [Fact]
    public async Task Empty_results_expire_in_redis_within_thirty_to_forty_seconds()
    {
        var tag = PostsClient.NewTag();
        var sinceSearch = Stopwatch.StartNew();
        Assert.Empty(await _client.SearchAsync(tag));

        var ttl = await PttlAsync(Cache.ResultKey(tag));

        AssertLifetime(ttl, SearchCachePolicy.EmptyTimeToLive, SearchCachePolicy.EmptyTimeToLive + SearchCachePolicy.MaxJitter, sinceSearch.Elapsed);
    }

    [Fact]
    public async Task Jitter_spreads_the_expiry_of_keywords_cached_together()
    {
        var tags = Enumerable.Range(0, 8).Select(_ => PostsClient.NewTag()).ToArray();
        foreach (var tag in tags)
        {
            await _client.CreatePostAsync(tag);
        }

        var sinceSearch = Stopwatch.StartNew();
        await Task.WhenAll(tags.Select(tag => _client.SearchAsync(tag)));
        var ttls = await Task.WhenAll(tags.Select(tag => PttlAsync(Cache.ResultKey(tag))));
        var elapsed = sinceSearch.Elapsed;

        Assert.All(ttls, ttl => AssertLifetime(ttl, SearchCachePolicy.TimeToLive, SearchCachePolicy.TimeToLive + SearchCachePolicy.MaxJitter, elapsed));
        // Eight draws from 10 s of jitter landing within half a second of each other would mean no jitter.
        Assert.True(ttls.Max() - ttls.Min() > 500, $"TTLs without spread: {string.Join(", ", ttls)}");
    }

    [Fact]
    public async Task Recent_keywords_expire_in_redis_an_hour_after_the_last_search()
    {
        var userId = PostsClient.NewUserId();
        var sinceSearch = Stopwatch.StartNew();
        await _client.SearchAsync("강아지", userId);

        var key = fixture.Services.GetRequiredService<RedisRecentKeywords>().Key(userId);

        AssertLifetime(await PttlAsync(key), RecentKeywordsPolicy.IdleExpiry, RecentKeywordsPolicy.IdleExpiry, sinceSearch.Elapsed);
    }

    [Fact]
    public async Task A_lock_key_set_by_someone_else_makes_the_search_read_the_database_after_the_wait()
    {
        var tag = PostsClient.NewTag();
        var postId = await _client.CreatePostAsync(tag);
        var redis = fixture.Services.GetRequiredService<RedisKeyspace>().Database;
        var lockKey = Cache.LockKey(tag);
        Assert.True(await redis.StringSetAsync(lockKey, "another-instance", TimeSpan.FromMinutes(1), StackExchange.Redis.When.NotExists));
        var before = PostsDatabase.SearchQueries(fixture.Services);

        var stopwatch = Stopwatch.StartNew();
        var results = await _client.SearchAsync(tag);
        stopwatch.Stop();

        Assert.Equal([postId], results.PostIds());
        Assert.Equal(1, PostsDatabase.SearchQueries(fixture.Services) - before);
        // Far above the lock wait (a busy machine is slow), far below the other instance's one-minute lock.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"the search took {stopwatch.Elapsed}: it waited for the lock instead of the lock wait");
        Assert.Equal("another-instance", await redis.StringGetAsync(lockKey));
        Assert.True((await redis.StringGetAsync(Cache.ResultKey(tag))).IsNull);
    }

    [Fact]
    public async Task The_fill_lock_is_released_after_a_fill()
    {
        var tag = PostsClient.NewTag();
        await _client.CreatePostAsync(tag);

        await _client.SearchAsync(tag);

        var redis = fixture.Services.GetRequiredService<RedisKeyspace>().Database;
        Assert.False(await redis.KeyExistsAsync(Cache.LockKey(tag)));
        Assert.True(await redis.KeyExistsAsync(Cache.ResultKey(tag)));
    }

    [Fact]
    public async Task The_lock_is_released_only_by_the_token_that_holds_it()
    {
        var tag = PostsClient.NewTag();
        var redis = fixture.Services.GetRequiredService<RedisKeyspace>().Database;
        Assert.Equal(LockAttempt.Acquired, await Cache.TryAcquireLockAsync(tag, "first", TimeSpan.FromSeconds(30), default));
        Assert.Equal(LockAttempt.Busy, await Cache.TryAcquireLockAsync(tag, "second", TimeSpan.FromSeconds(30), default));

        await Cache.ReleaseLockAsync(tag, "second", default);
        Assert.Equal("first", await redis.StringGetAsync(Cache.LockKey(tag)));

        await Cache.ReleaseLockAsync(tag, "first", default);
        Assert.False(await redis.KeyExistsAsync(Cache.LockKey(tag)));
    }

    [Fact]
    public async Task Keywords_with_hash_tag_braces_work_on_any_deployment()
    {
        var tag = "{" + PostsClient.NewTag() + "}";
        var postId = await _client.CreatePostAsync(tag);

        Assert.Equal([postId], (await _client.SearchAsync(tag)).PostIds());
        Assert.Equal(CacheReadStatus.Hit, (await Cache.GetAsync(tag, default)).Status);
    }

    /// <summary>
    /// A key given a lifetime in [<paramref name="min"/>, <paramref name="max"/>] by a request that started
    /// <paramref name="elapsed"/> ago has a PTTL of at most max and at least min minus elapsed: the time a busy
    /// machine took is measured, not guessed.
    /// </summary>
    private static void AssertLifetime(long pttl, TimeSpan min, TimeSpan max, TimeSpan elapsed) =>
        Assert.InRange(pttl, (long)(min - elapsed).TotalMilliseconds - 1, (long)max.TotalMilliseconds);

    private async Task<long> PttlAsync(StackExchange.Redis.RedisKey key) =>
        (long)(await fixture.Services.GetRequiredService<RedisKeyspace>().Database.KeyTimeToLiveAsync(key))!.Value.TotalMilliseconds;
}

public sealed class RedisSearchTests_Server(ServerFixture fixture) : RedisSearchTests(fixture), IClassFixture<ServerFixture>;

public sealed class RedisSearchTests_Cluster(ClusterFixture fixture) : RedisSearchTests(fixture), IClassFixture<ClusterFixture>;
