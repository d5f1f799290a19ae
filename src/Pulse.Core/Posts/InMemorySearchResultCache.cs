using System.Collections.Concurrent;

namespace Pulse.Core.Posts;

/// <summary>
/// Embedded mode's search cache and fill lock: one process, so a dictionary with <see cref="TimeProvider"/>-based
/// expiry and a per-keyword lease behave like the Redis keys. Never unavailable.
/// </summary>
public sealed class InMemorySearchResultCache(TimeProvider time, int capacity = 10_000) : ISearchResultCache, ISearchResultEviction
{
    private readonly ConcurrentDictionary<string, Stored> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lease> _locks = new(StringComparer.Ordinal);

    public ValueTask<CacheRead> GetAsync(string keyword, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(keyword, out var stored))
        {
            if (stored.ExpiresAt > time.GetUtcNow())
            {
                return ValueTask.FromResult(CacheRead.Hit(stored.Entry));
            }

            _entries.TryRemove(new KeyValuePair<string, Stored>(keyword, stored));
        }

        return ValueTask.FromResult(CacheRead.Miss);
    }

    public ValueTask EvictAsync(string keyword, CancellationToken cancellationToken)
    {
        _entries.TryRemove(keyword, out _);
        return ValueTask.CompletedTask;
    }

    public ValueTask SetAsync(string keyword, SearchCacheEntry entry, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_entries.Count >= capacity)
        {
            MakeRoom(now);
        }

        _entries[keyword] = new Stored(entry, now + timeToLive);
        return ValueTask.CompletedTask;
    }

    public ValueTask<LockAttempt> TryAcquireLockAsync(string keyword, string token, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var mine = new Lease(token, now + lease);
        while (true)
        {
            if (_locks.TryAdd(keyword, mine))
            {
                return ValueTask.FromResult(LockAttempt.Acquired);
            }

            if (_locks.TryGetValue(keyword, out var held))
            {
                if (held.ExpiresAt > now)
                {
                    return ValueTask.FromResult(LockAttempt.Busy);
                }

                if (_locks.TryUpdate(keyword, mine, held))
                {
                    return ValueTask.FromResult(LockAttempt.Acquired);
                }
            }
        }
    }

    public ValueTask ReleaseLockAsync(string keyword, string token, CancellationToken cancellationToken)
    {
        if (_locks.TryGetValue(keyword, out var held) && held.Token == token)
        {
            _locks.TryRemove(new KeyValuePair<string, Lease>(keyword, held));
        }

        return ValueTask.CompletedTask;
    }

    private void MakeRoom(DateTimeOffset now)
    {
        foreach (var (keyword, stored) in _entries)
        {
            if (stored.ExpiresAt <= now)
            {
                _entries.TryRemove(new KeyValuePair<string, Stored>(keyword, stored));
            }
        }

        // Still full of live entries (many distinct keywords): dropping them costs one query per keyword, once.
        if (_entries.Count >= capacity)
        {
            _entries.Clear();
        }
    }

    private sealed record Stored(SearchCacheEntry Entry, DateTimeOffset ExpiresAt);

    private sealed record Lease(string Token, DateTimeOffset ExpiresAt);
}
