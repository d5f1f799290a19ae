using Pulse.Core.Posts;

namespace Pulse.Core.Tests.Posts;

/// <summary>A cache whose backend is down.</summary>
public sealed class UnavailableCache : ISearchResultCache
{
    public int Calls { get; private set; }

    public ValueTask<CacheRead> GetAsync(string keyword, CancellationToken cancellationToken)
    {
        Calls++;
        return ValueTask.FromResult(CacheRead.Unavailable);
    }

    public ValueTask SetAsync(string keyword, SearchCacheEntry entry, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        Calls++;
        return ValueTask.CompletedTask;
    }

    public ValueTask<LockAttempt> TryAcquireLockAsync(string keyword, string token, TimeSpan lease, CancellationToken cancellationToken)
    {
        Calls++;
        return ValueTask.FromResult(LockAttempt.Unavailable);
    }

    public ValueTask ReleaseLockAsync(string keyword, string token, CancellationToken cancellationToken)
    {
        Calls++;
        return ValueTask.CompletedTask;
    }
}
