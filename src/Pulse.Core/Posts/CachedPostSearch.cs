using System.Collections.Concurrent;

namespace Pulse.Core.Posts;

/// <summary>
/// Hashtag search behind the per-keyword cache of SPEC §4. Invariants:
/// <list type="number">
/// <item>Callers of one keyword in this process share one resolution (single flight), so a burst costs this
/// instance one cache read and at most one database query.</item>
/// <item>Hit: served as is, unless XFetch (<see cref="EarlyRefresh"/>) picks this reader to refresh early; it does so
/// only if it gets the keyword's lock without waiting, and everybody else keeps serving the still-valid entry.</item>
/// <item>Miss: only the lock holder (a distributed lock in server mode) queries the database and stores the result,
/// after checking the cache again, because the previous holder may have filled it meanwhile. The others poll the
/// cache for up to <see cref="SearchCacheOptions.LockWait"/>, then query the database themselves (without storing).</item>
/// <item>Cache backend unavailable: straight to the database. A search never fails because of the cache or the
/// lock; only the database can fail it.</item>
/// </list>
/// </summary>
public sealed class CachedPostSearch
{
    public const int ResultLimit = 10;

    private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<Post>>>> _flights = new(StringComparer.Ordinal);
    private readonly IPostSearchStore _store;
    private readonly ISearchResultCache _cache;
    private readonly SearchCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<double> _uniform;
    private readonly Caching.CacheMetrics.Tags _metrics = new("search");

    /// <param name="uniform">Random numbers in [0, 1) for the TTL jitter and the early refresh; <see cref="Random.Shared"/> by default.</param>
    public CachedPostSearch(IPostSearchStore store, ISearchResultCache cache, SearchCacheOptions options, TimeProvider time, Func<double>? uniform = null)
    {
        _store = store;
        _cache = cache;
        _options = options;
        _time = time;
        _uniform = uniform ?? Random.Shared.NextDouble;
    }

    public Task<IReadOnlyList<Post>> SearchAsync(string hashtag, CancellationToken cancellationToken)
    {
        Lazy<Task<IReadOnlyList<Post>>>? created = null;
        created = new Lazy<Task<IReadOnlyList<Post>>>(() => FlyAsync(hashtag, created!));
        return _flights.GetOrAdd(hashtag, created).Value.WaitAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<Post>> FlyAsync(string hashtag, Lazy<Task<IReadOnlyList<Post>>> flight)
    {
        try
        {
            // Shared by every waiting caller, so no one caller's cancellation may stop it; each step is bounded by the
            // Redis and database timeouts.
            return await ResolveAsync(hashtag, CancellationToken.None);
        }
        finally
        {
            _flights.TryRemove(new KeyValuePair<string, Lazy<Task<IReadOnlyList<Post>>>>(hashtag, flight));
        }
    }

    private async Task<IReadOnlyList<Post>> ResolveAsync(string hashtag, CancellationToken cancellationToken)
    {
        var read = await _cache.GetAsync(hashtag, cancellationToken);
        if (read.Status == CacheReadStatus.Hit)
        {
            _metrics.SharedHit();
        }
        else
        {
            _metrics.Missed();
        }

        return read.Status switch
        {
            CacheReadStatus.Hit when ShouldRefreshEarly(read.Entry!) => await RefreshEarlyAsync(hashtag, read.Entry!, cancellationToken),
            CacheReadStatus.Hit => read.Entry!.Posts,
            CacheReadStatus.Miss => await FillAsync(hashtag, cancellationToken),
            _ => await QueryAsync(hashtag, cancellationToken),
        };
    }

    private bool ShouldRefreshEarly(SearchCacheEntry entry) =>
        EarlyRefresh.ShouldRefresh(_time.GetUtcNow(), entry.ExpiresAt, entry.RecomputeTime, _options.EarlyRefreshBeta, 1 - _uniform());

    private async Task<IReadOnlyList<Post>> RefreshEarlyAsync(string hashtag, SearchCacheEntry entry, CancellationToken cancellationToken)
    {
        var token = NewToken();
        if (await _cache.TryAcquireLockAsync(hashtag, token, _options.LockLease, cancellationToken) != LockAttempt.Acquired)
        {
            return entry.Posts;
        }

        try
        {
            return await QueryAndStoreAsync(hashtag, cancellationToken);
        }
        finally
        {
            await _cache.ReleaseLockAsync(hashtag, token, CancellationToken.None);
        }
    }

    private async Task<IReadOnlyList<Post>> FillAsync(string hashtag, CancellationToken cancellationToken)
    {
        var token = NewToken();
        var started = _time.GetTimestamp();
        while (true)
        {
            switch (await _cache.TryAcquireLockAsync(hashtag, token, _options.LockLease, cancellationToken))
            {
                case LockAttempt.Acquired:
                    try
                    {
                        var again = await _cache.GetAsync(hashtag, cancellationToken);
                        return again.Status == CacheReadStatus.Hit ? again.Entry!.Posts : await QueryAndStoreAsync(hashtag, cancellationToken);
                    }
                    finally
                    {
                        await _cache.ReleaseLockAsync(hashtag, token, CancellationToken.None);
                    }

                case LockAttempt.Unavailable:
                    return await QueryAsync(hashtag, cancellationToken);
            }

            var remaining = _options.LockWait - _time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                // The holder is slow or gone; this caller has waited long enough.
                return await QueryAsync(hashtag, cancellationToken);
            }

            await Task.Delay(remaining < _options.PollInterval ? remaining : _options.PollInterval, cancellationToken);
            var polled = await _cache.GetAsync(hashtag, cancellationToken);
            switch (polled.Status)
            {
                case CacheReadStatus.Hit:
                    return polled.Entry!.Posts;
                case CacheReadStatus.Unavailable:
                    return await QueryAsync(hashtag, cancellationToken);
            }
        }
    }

    private async Task<IReadOnlyList<Post>> QueryAndStoreAsync(string hashtag, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var posts = await QueryAsync(hashtag, cancellationToken);
        var recomputeTime = _time.GetElapsedTime(started);
        var lifetime = SearchCachePolicy.LifetimeFor(posts.Count, _uniform());
        await _cache.SetAsync(hashtag, new SearchCacheEntry(posts, _time.GetUtcNow() + lifetime, recomputeTime), lifetime, cancellationToken);
        return posts;
    }

    private Task<IReadOnlyList<Post>> QueryAsync(string hashtag, CancellationToken cancellationToken) =>
        _store.SearchByHashtagAsync(hashtag, ResultLimit, cancellationToken);

    private static string NewToken() => Guid.NewGuid().ToString("N");
}
