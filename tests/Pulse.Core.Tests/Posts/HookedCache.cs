using Pulse.Core.Posts;

namespace Pulse.Core.Tests.Posts;

/// <summary>An in-memory cache that runs a hook just before the next lock attempt (another instance acting in between).</summary>
public sealed class HookedCache(ISearchResultCache inner) : ISearchResultCache
{
    public Func<ValueTask>? BeforeNextLock { get; set; }

    public ValueTask<CacheRead> GetAsync(string keyword, CancellationToken cancellationToken) => inner.GetAsync(keyword, cancellationToken);

    public ValueTask SetAsync(string keyword, SearchCacheEntry entry, TimeSpan timeToLive, CancellationToken cancellationToken) =>
        inner.SetAsync(keyword, entry, timeToLive, cancellationToken);

    public async ValueTask<LockAttempt> TryAcquireLockAsync(string keyword, string token, TimeSpan lease, CancellationToken cancellationToken)
    {
        if (BeforeNextLock is { } hook)
        {
            BeforeNextLock = null;
            await hook();
        }

        return await inner.TryAcquireLockAsync(keyword, token, lease, cancellationToken);
    }

    public ValueTask ReleaseLockAsync(string keyword, string token, CancellationToken cancellationToken) =>
        inner.ReleaseLockAsync(keyword, token, cancellationToken);
}
