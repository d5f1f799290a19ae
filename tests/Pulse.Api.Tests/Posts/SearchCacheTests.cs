using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Core.Posts;

namespace Pulse.Api.Tests.Posts;

/// <summary>
/// The search cache through HTTP. Tests of one class run one at a time, so the host's database query counter moves
/// only because of the test that reads it.
/// </summary>
public abstract class SearchCacheTests(PulseFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    private long Queries => PostsDatabase.SearchQueries(fixture.Services);

    [Fact]
    public async Task Fifty_concurrent_searches_of_a_cold_keyword_query_the_database_exactly_once()
    {
        var tag = PostsClient.NewTag("고양이");
        var postId = await _client.CreatePostAsync(tag);
        var before = Queries;

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => _client.SearchAsync(tag)));

        Assert.All(responses, results => Assert.Equal([postId], results.PostIds()));
        Assert.Equal(1, Queries - before);
    }

    [Fact]
    public async Task A_second_search_within_the_ttl_is_answered_from_the_cache_even_if_likes_changed()
    {
        var tag = PostsClient.NewTag();
        var postId = await _client.CreatePostAsync(tag);
        Assert.Equal(new[] { 0L }, (await _client.SearchAsync(tag)).LikeCounts());
        var before = Queries;

        await _client.LikeAsync(postId, 1);
        var again = await _client.SearchAsync(tag);

        Assert.Equal(0, Queries - before);
        Assert.Equal([0L], again.LikeCounts());
    }

    [Fact]
    public async Task An_empty_result_is_cached_as_such()
    {
        var tag = PostsClient.NewTag();
        Assert.Empty(await _client.SearchAsync(tag));
        var before = Queries;

        await _client.CreatePostAsync(tag);
        var again = await _client.SearchAsync(tag);

        Assert.Empty(again);
        Assert.Equal(0, Queries - before);
    }

    [Fact]
    public async Task A_held_lock_neither_fails_a_search_nor_delays_it_much_beyond_the_lock_wait()
    {
        var tag = PostsClient.NewTag();
        var postId = await _client.CreatePostAsync(tag);
        var cache = fixture.Services.GetRequiredService<ISearchResultCache>();
        var wait = fixture.Services.GetRequiredService<IOptions<SearchCacheOptions>>().Value.LockWait;
        Assert.Equal(LockAttempt.Acquired, await cache.TryAcquireLockAsync(tag, "held-by-the-test", TimeSpan.FromMinutes(1), default));
        var before = Queries;

        var stopwatch = Stopwatch.StartNew();
        var results = await _client.SearchAsync(tag);
        stopwatch.Stop();

        Assert.Equal([postId], results.PostIds());
        Assert.Equal(1, Queries - before);
        // At least the lock wait; at most far above it (a busy machine is slow) yet far below the test's one-minute lease.
        Assert.InRange(stopwatch.Elapsed, wait - TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(30));
        // Only a lock holder fills the cache, and the caller that gave up on the lock did not take ours.
        Assert.Equal(CacheReadStatus.Miss, (await cache.GetAsync(tag, default)).Status);
        Assert.Equal(LockAttempt.Busy, await cache.TryAcquireLockAsync(tag, "someone-else", TimeSpan.FromSeconds(5), default));

        await cache.ReleaseLockAsync(tag, "held-by-the-test", default);
        await _client.SearchAsync(tag);
        await _client.SearchAsync(tag);
        Assert.Equal(2, Queries - before);
        Assert.Equal(CacheReadStatus.Hit, (await cache.GetAsync(tag, default)).Status);
    }

    [Fact]
    public async Task Different_keywords_are_cached_separately()
    {
        var cat = PostsClient.NewTag("고양이");
        var dog = PostsClient.NewTag("강아지");
        var catPost = await _client.CreatePostAsync(cat);
        var dogPost = await _client.CreatePostAsync(dog);
        var before = Queries;

        Assert.Equal([catPost], (await _client.SearchAsync(cat)).PostIds());
        Assert.Equal([dogPost], (await _client.SearchAsync(dog)).PostIds());
        Assert.Equal([catPost], (await _client.SearchAsync(cat)).PostIds());

        Assert.Equal(2, Queries - before);
    }
}

public sealed class SearchCacheTests_Embedded(EmbeddedFixture fixture) : SearchCacheTests(fixture), IClassFixture<EmbeddedFixture>;

public sealed class SearchCacheTests_Server(ServerFixture fixture) : SearchCacheTests(fixture), IClassFixture<ServerFixture>;

public sealed class SearchCacheTests_Cluster(ClusterFixture fixture) : SearchCacheTests(fixture), IClassFixture<ClusterFixture>;
