using Microsoft.Extensions.Time.Testing;
using Pulse.Core.Posts;

namespace Pulse.Core.Tests.Posts;

public sealed class InMemorySearchResultCacheTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 21, 5, 21, 0, TimeSpan.Zero));

    [Fact]
    public async Task An_entry_lives_for_its_time_to_live()
    {
        var cache = new InMemorySearchResultCache(_clock);
        await cache.SetAsync("k", new SearchCacheEntry([], _clock.GetUtcNow().AddSeconds(30), TimeSpan.Zero), TimeSpan.FromSeconds(30), default);

        _clock.Advance(TimeSpan.FromSeconds(29.999));
        Assert.Equal(CacheReadStatus.Hit, (await cache.GetAsync("k", default)).Status);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(CacheReadStatus.Miss, (await cache.GetAsync("k", default)).Status);
    }

    [Fact]
    public async Task A_lock_is_exclusive_until_released_by_its_holder_or_its_lease_ends()
    {
        var cache = new InMemorySearchResultCache(_clock);
        Assert.Equal(LockAttempt.Acquired, await cache.TryAcquireLockAsync("k", "a", TimeSpan.FromSeconds(5), default));
        Assert.Equal(LockAttempt.Busy, await cache.TryAcquireLockAsync("k", "b", TimeSpan.FromSeconds(5), default));
        Assert.Equal(LockAttempt.Acquired, await cache.TryAcquireLockAsync("other", "b", TimeSpan.FromSeconds(5), default));

        await cache.ReleaseLockAsync("k", "b", default);
        Assert.Equal(LockAttempt.Busy, await cache.TryAcquireLockAsync("k", "c", TimeSpan.FromSeconds(5), default));

        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(LockAttempt.Acquired, await cache.TryAcquireLockAsync("k", "c", TimeSpan.FromSeconds(5), default));
        // The first holder's late release must not free the lock its successor now holds.
        await cache.ReleaseLockAsync("k", "a", default);
        Assert.Equal(LockAttempt.Busy, await cache.TryAcquireLockAsync("k", "d", TimeSpan.FromSeconds(5), default));

        await cache.ReleaseLockAsync("k", "c", default);
        Assert.Equal(LockAttempt.Acquired, await cache.TryAcquireLockAsync("k", "d", TimeSpan.FromSeconds(5), default));
    }
}
