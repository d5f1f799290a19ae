namespace Pulse.Core.Posts;

/// <summary>
/// The per-keyword search cache and its fill lock (Redis in server mode, memory in embedded mode). Implementations
/// never throw because their backend is down: they answer <see cref="CacheReadStatus.Unavailable"/> or
/// <see cref="LockAttempt.Unavailable"/>, skip writes, and the caller reads the database.
/// </summary>
public interface ISearchResultCache
{
    ValueTask<CacheRead> GetAsync(string keyword, CancellationToken cancellationToken);

    /// <summary>Stores the entry; it disappears after <paramref name="timeToLive"/>.</summary>
    ValueTask SetAsync(string keyword, SearchCacheEntry entry, TimeSpan timeToLive, CancellationToken cancellationToken);

    /// <summary>Takes the keyword's fill lock for <paramref name="lease"/> unless someone else holds it.</summary>
    ValueTask<LockAttempt> TryAcquireLockAsync(string keyword, string token, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Releases the lock only if it is still held with <paramref name="token"/> (a lease that ran out may belong to another caller).</summary>
    ValueTask ReleaseLockAsync(string keyword, string token, CancellationToken cancellationToken);
}

/// <summary>
/// Cached results of one keyword. <see cref="ExpiresAt"/> is when the entry stops being served and
/// <see cref="RecomputeTime"/> how long the database query took: together they drive the early refresh.
/// </summary>
public sealed record SearchCacheEntry(IReadOnlyList<Post> Posts, DateTimeOffset ExpiresAt, TimeSpan RecomputeTime);

public enum CacheReadStatus
{
    Miss,
    Hit,
    Unavailable,
}

public readonly record struct CacheRead(CacheReadStatus Status, SearchCacheEntry? Entry)
{
    public static CacheRead Miss => new(CacheReadStatus.Miss, null);

    public static CacheRead Unavailable => new(CacheReadStatus.Unavailable, null);

    public static CacheRead Hit(SearchCacheEntry entry) => new(CacheReadStatus.Hit, entry);
}

public enum LockAttempt
{
    Acquired,
    Busy,
    Unavailable,
}
