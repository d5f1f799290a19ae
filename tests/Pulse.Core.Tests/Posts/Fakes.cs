using Pulse.Core.Posts;
using Pulse.Core.Tracking;

namespace Pulse.Core.Tests.Posts;

/// <summary>Counts queries; a test can hold them at a gate or make them fail.</summary>
public sealed class FakeSearchStore : IPostSearchStore
{
    private int _queries;

    public int Queries => Volatile.Read(ref _queries);

    public TaskCompletionSource? Gate { get; set; }

    public Exception? Failure { get; set; }

    public long LikeCount { get; set; }

    public async Task<IReadOnlyList<Post>> SearchByHashtagAsync(string hashtag, int limit, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _queries);
        if (Gate is { } gate)
        {
            await gate.Task;
        }

        await Task.Yield();
        return Failure is { } failure ? throw failure : [Posts.Tagged(hashtag, LikeCount)];
    }
}

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

/// <summary>A cache that lets a test wait until callers have been refused the fill lock a number of times.</summary>
public sealed class LockRefusalsCache(ISearchResultCache inner) : ISearchResultCache
{
    private readonly List<(int Times, TaskCompletionSource Reached)> _waiters = [];
    private int _refusals;

    public int Refusals
    {
        get
        {
            lock (_waiters)
            {
                return _refusals;
            }
        }
    }

    /// <summary>Completes once callers have been refused the lock <paramref name="times"/> times in all; fails the test after <paramref name="timeout"/>.</summary>
    public async Task RefusedAsync(int times, TimeSpan timeout)
    {
        Task reached;
        lock (_waiters)
        {
            if (_refusals >= times)
            {
                return;
            }

            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((times, waiter));
            reached = waiter.Task;
        }

        if (await Task.WhenAny(reached, Task.Delay(timeout)) != reached)
        {
            Assert.Fail($"callers were refused the fill lock {Refusals} times, not {times}, within {timeout.TotalSeconds:0} s: the waiting caller stopped asking for it");
        }
    }

    public ValueTask<CacheRead> GetAsync(string keyword, CancellationToken cancellationToken) => inner.GetAsync(keyword, cancellationToken);

    public ValueTask SetAsync(string keyword, SearchCacheEntry entry, TimeSpan timeToLive, CancellationToken cancellationToken) =>
        inner.SetAsync(keyword, entry, timeToLive, cancellationToken);

    public async ValueTask<LockAttempt> TryAcquireLockAsync(string keyword, string token, TimeSpan lease, CancellationToken cancellationToken)
    {
        var attempt = await inner.TryAcquireLockAsync(keyword, token, lease, cancellationToken);
        if (attempt == LockAttempt.Busy)
        {
            lock (_waiters)
            {
                _refusals++;
                foreach (var waiter in _waiters.Where(w => w.Times <= _refusals).ToList())
                {
                    waiter.Reached.TrySetResult();
                    _waiters.Remove(waiter);
                }
            }
        }

        return attempt;
    }

    public ValueTask ReleaseLockAsync(string keyword, string token, CancellationToken cancellationToken) =>
        inner.ReleaseLockAsync(keyword, token, cancellationToken);
}

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

public sealed class RecordingDiagnostics : IPostsDiagnostics
{
    public List<string> Failures { get; } = [];

    public void SideEffectFailed(string sideEffect, Exception exception) => Failures.Add(sideEffect);
}

public sealed class FailingRecorder : ITrackedEventRecorder
{
    public Task RecordAsync(IReadOnlyList<TrackedEvent> events, CancellationToken cancellationToken) =>
        Task.FromException(new InvalidOperationException("the event store is down"));
}

public sealed class RecordingRecorder : ITrackedEventRecorder
{
    public List<TrackedEvent> Events { get; } = [];

    public Task RecordAsync(IReadOnlyList<TrackedEvent> events, CancellationToken cancellationToken)
    {
        lock (Events)
        {
            Events.AddRange(events);
        }

        return Task.CompletedTask;
    }
}

public static class Posts
{
    public static Post Tagged(string hashtag, long likes = 0, long id = 1) =>
        new(id, 42, "content", null, [hashtag], DateTimeOffset.UnixEpoch, likes);
}
