using Microsoft.Extensions.Time.Testing;
using Pulse.Core.Posts;

namespace Pulse.Core.Tests.Posts;

/// <summary>
/// The fill protocol on a fake clock that stands still until a test advances it. The lock wait is measured on that
/// clock too, so a waiting caller gives up exactly when the test says, never because the machine is slow.
/// </summary>
public sealed class CachedPostSearchTests
{
    private const string Tag = "고양이";

    /// <summary>How long a test waits for something that takes milliseconds on an idle machine.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 21, 5, 21, 0, TimeSpan.Zero));
    private readonly FakeSearchStore _store = new();
    private readonly InMemorySearchResultCache _memory;
    private readonly SearchCacheOptions _options = new() { LockWait = TimeSpan.FromMilliseconds(150) };

    public CachedPostSearchTests() => _memory = new InMemorySearchResultCache(_clock);

    [Fact]
    public async Task Concurrent_searches_of_a_cold_keyword_make_one_query_and_share_its_result()
    {
        var search = Create();
        _store.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Every caller has joined (SearchAsync returned on its thread-pool thread) before the query may finish.
        var calls = Enumerable.Range(0, 50)
            .Select(_ => Task.Factory.StartNew(() => search.SearchAsync(Tag, default), CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default))
            .ToArray();
        var searches = await Task.WhenAll(calls).WaitAsync(Patience);
        _store.Gate.SetResult();
        var results = await Task.WhenAll(searches).WaitAsync(Patience);

        Assert.Equal(1, _store.Queries);
        Assert.All(results, posts => Assert.Equal(Tag, posts.Single().Hashtags[0]));
    }

    [Fact]
    public async Task A_hit_is_served_until_the_entry_expires()
    {
        var search = Create();
        await search.SearchAsync(Tag, default);
        _store.LikeCount = 5;

        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, (await search.SearchAsync(Tag, default)).Single().LikeCount);
        Assert.Equal(1, _store.Queries);

        _clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(5, (await search.SearchAsync(Tag, default)).Single().LikeCount);
        Assert.Equal(2, _store.Queries);
    }

    [Fact]
    public async Task The_lock_holder_checks_the_cache_again_before_querying()
    {
        var cache = new HookedCache(_memory);
        var search = Create(cache);
        // Between this caller's miss and its lock, another instance fills the entry (and releases the lock).
        cache.BeforeNextLock = () => _memory.SetAsync(Tag, new SearchCacheEntry([Posts.Tagged(Tag, likes: 9)], _clock.GetUtcNow().AddMinutes(1), TimeSpan.Zero), TimeSpan.FromMinutes(1), default);

        var posts = await search.SearchAsync(Tag, default);

        Assert.Equal(9, posts.Single().LikeCount);
        Assert.Equal(0, _store.Queries);
    }

    [Fact]
    public async Task A_caller_that_cannot_get_the_lock_queries_the_database_after_the_wait_without_storing()
    {
        var cache = new LockRefusalsCache(_memory);
        var search = Create(cache);
        Assert.Equal(LockAttempt.Acquired, await _memory.TryAcquireLockAsync(Tag, "other", TimeSpan.FromMinutes(1), default));

        var waiting = search.SearchAsync(Tag, default);
        await cache.RefusedAsync(1, Patience);
        _clock.Advance(_options.LockWait - TimeSpan.FromMilliseconds(1));
        // Refused twice more: it looked at the clock after the advance, and kept waiting.
        await cache.RefusedAsync(cache.Refusals + 2, Patience);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(0, _store.Queries);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var posts = await waiting.WaitAsync(Patience);

        Assert.Single(posts);
        Assert.Equal(1, _store.Queries);
        Assert.Equal(CacheReadStatus.Miss, (await _memory.GetAsync(Tag, default)).Status);
        Assert.Equal(LockAttempt.Busy, await _memory.TryAcquireLockAsync(Tag, "third", TimeSpan.FromMinutes(1), default));
    }

    [Fact]
    public async Task A_waiting_caller_takes_the_entry_the_lock_holder_stores()
    {
        // The clock stands still, so the caller never reaches its lock wait: only the stored entry can end its wait.
        var cache = new LockRefusalsCache(_memory);
        var search = Create(cache);
        await _memory.TryAcquireLockAsync(Tag, "other", TimeSpan.FromMinutes(1), default);

        var waiting = search.SearchAsync(Tag, default);
        await cache.RefusedAsync(1, Patience);
        Assert.False(waiting.IsCompleted);
        await _memory.SetAsync(Tag, new SearchCacheEntry([Posts.Tagged(Tag, likes: 3)], _clock.GetUtcNow().AddMinutes(1), TimeSpan.Zero), TimeSpan.FromMinutes(1), default);

        Assert.Equal(3, (await waiting.WaitAsync(Patience)).Single().LikeCount);
        Assert.Equal(0, _store.Queries);
    }

    [Fact]
    public async Task A_waiting_caller_takes_over_a_lock_released_without_a_fill()
    {
        var cache = new LockRefusalsCache(_memory);
        var search = Create(cache);
        await _memory.TryAcquireLockAsync(Tag, "other", TimeSpan.FromMinutes(1), default);

        var waiting = search.SearchAsync(Tag, default);
        await cache.RefusedAsync(1, Patience);
        Assert.False(waiting.IsCompleted);
        await _memory.ReleaseLockAsync(Tag, "other", default);

        Assert.Single(await waiting.WaitAsync(Patience));
        Assert.Equal(1, _store.Queries);
        Assert.Equal(CacheReadStatus.Hit, (await _memory.GetAsync(Tag, default)).Status);
    }

    [Fact]
    public async Task An_unavailable_cache_sends_every_search_straight_to_the_database()
    {
        var cache = new UnavailableCache();
        var search = Create(cache);

        await search.SearchAsync(Tag, default);
        await search.SearchAsync(Tag, default);

        Assert.Equal(2, _store.Queries);
        Assert.Equal(2, cache.Calls);
    }

    [Fact]
    public async Task Empty_results_are_stored_for_thirty_to_forty_seconds()
    {
        var empty = new EmptyStore();
        var search = new CachedPostSearch(empty, _memory, _options, _clock, () => 0.999);

        Assert.Empty(await search.SearchAsync(Tag, default));
        _clock.Advance(TimeSpan.FromSeconds(39));
        Assert.Empty(await search.SearchAsync(Tag, default));
        Assert.Equal(1, empty.Queries);

        _clock.Advance(TimeSpan.FromSeconds(1));
        await search.SearchAsync(Tag, default);
        Assert.Equal(2, empty.Queries);
    }

    [Fact]
    public async Task An_entry_near_expiry_is_refreshed_early_by_the_reader_the_draw_picks()
    {
        var draw = 0.0;
        var search = Create(uniform: () => draw);
        // One second left, one second of recompute time: refreshes when 1 - draw <= 1/e.
        await _memory.SetAsync(Tag, new SearchCacheEntry([Posts.Tagged(Tag, likes: 1)], _clock.GetUtcNow().AddSeconds(1), TimeSpan.FromSeconds(1)), TimeSpan.FromSeconds(1), default);
        _store.LikeCount = 2;

        draw = 0.5;
        Assert.Equal(1, (await search.SearchAsync(Tag, default)).Single().LikeCount);
        Assert.Equal(0, _store.Queries);

        draw = 0.7;
        Assert.Equal(2, (await search.SearchAsync(Tag, default)).Single().LikeCount);
        Assert.Equal(1, _store.Queries);
        var refreshed = (await _memory.GetAsync(Tag, default)).Entry!;
        Assert.True(refreshed.ExpiresAt >= _clock.GetUtcNow().AddSeconds(60), "the refreshed entry starts a new lifetime");
    }

    [Fact]
    public async Task An_early_refresh_already_under_way_elsewhere_leaves_the_entry_in_service()
    {
        var search = Create(uniform: () => 0.9);
        await _memory.SetAsync(Tag, new SearchCacheEntry([Posts.Tagged(Tag, likes: 1)], _clock.GetUtcNow().AddSeconds(1), TimeSpan.FromSeconds(1)), TimeSpan.FromSeconds(1), default);
        await _memory.TryAcquireLockAsync(Tag, "refreshing-elsewhere", TimeSpan.FromMinutes(1), default);

        // The clock stands still: a reader that waited for the lock would wait for good, not just for the lock wait.
        Assert.Equal(1, (await search.SearchAsync(Tag, default).WaitAsync(Patience)).Single().LikeCount);

        Assert.Equal(0, _store.Queries);
    }

    [Fact]
    public async Task A_failed_query_fails_its_callers_and_the_next_search_tries_again()
    {
        var search = Create();
        _store.Failure = new TimeoutException("database timeout");

        await Assert.ThrowsAsync<TimeoutException>(() => search.SearchAsync(Tag, default));
        _store.Failure = null;

        Assert.Single(await search.SearchAsync(Tag, default));
        Assert.Equal(2, _store.Queries);
        Assert.Equal(LockAttempt.Acquired, await _memory.TryAcquireLockAsync(Tag, "after", TimeSpan.FromSeconds(1), default));
    }

    [Fact]
    public async Task One_caller_giving_up_does_not_cancel_the_others()
    {
        var search = Create();
        _store.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var impatient = new CancellationTokenSource();

        var patientSearch = search.SearchAsync(Tag, default);
        var impatientSearch = search.SearchAsync(Tag, impatient.Token);
        await impatient.CancelAsync();
        _store.Gate.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatientSearch);
        Assert.Single(await patientSearch);
        Assert.Equal(1, _store.Queries);
    }

    private CachedPostSearch Create(ISearchResultCache? cache = null, SearchCacheOptions? options = null, Func<double>? uniform = null) =>
        new(_store, cache ?? _memory, options ?? _options, _clock, uniform ?? (() => 0.0));

    private sealed class EmptyStore : IPostSearchStore
    {
        public int Queries { get; private set; }

        public Task<IReadOnlyList<Post>> SearchByHashtagAsync(string hashtag, int limit, CancellationToken cancellationToken)
        {
            Queries++;
            return Task.FromResult<IReadOnlyList<Post>>([]);
        }
    }
}
