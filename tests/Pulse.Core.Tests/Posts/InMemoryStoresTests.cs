using Microsoft.Extensions.Time.Testing;
using Pulse.Core.Posts;

namespace Pulse.Core.Tests.Posts;

public sealed class InMemoryRecentKeywordsTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 21, 5, 21, 0, TimeSpan.Zero));

    [Fact]
    public async Task Keywords_are_newest_first_unique_and_at_most_ten()
    {
        var recent = new InMemoryRecentKeywords(_clock);
        for (var i = 1; i <= 12; i++)
        {
            await recent.PushAsync(1, "k" + i, default);
        }

        await recent.PushAsync(1, "k5", default);

        Assert.Equal(["k5", "k12", "k11", "k10", "k9", "k8", "k7", "k6", "k4", "k3"], await recent.GetAsync(1, default));
        Assert.Empty(await recent.GetAsync(2, default));
    }

    [Fact]
    public async Task The_list_expires_one_hour_after_the_last_push()
    {
        var recent = new InMemoryRecentKeywords(_clock);
        await recent.PushAsync(1, "first", default);
        _clock.Advance(TimeSpan.FromMinutes(59));
        await recent.PushAsync(1, "second", default);

        _clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(["second", "first"], await recent.GetAsync(1, default));

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(await recent.GetAsync(1, default));

        await recent.PushAsync(1, "third", default);
        Assert.Equal(["third"], await recent.GetAsync(1, default));
    }

    [Fact]
    public async Task Memory_stays_bounded_by_the_number_of_users()
    {
        var recent = new InMemoryRecentKeywords(_clock, capacity: 2);
        await recent.PushAsync(1, "a", default);
        await recent.PushAsync(2, "b", default);
        _clock.Advance(TimeSpan.FromHours(2));

        await recent.PushAsync(3, "c", default);

        Assert.Equal(["c"], await recent.GetAsync(3, default));
        Assert.Empty(await recent.GetAsync(1, default));
    }
}

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
