using Pulse.Core.Posts;

namespace Pulse.Core.Tests.Posts;

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
