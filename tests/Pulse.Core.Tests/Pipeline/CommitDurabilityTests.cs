using Pulse.Core.Pipeline;

namespace Pulse.Core.Tests.Pipeline;

/// <summary>
/// A queue over a store whose commits become durable later (<see cref="ICommitDurability"/>, the embedded store):
/// nobody is answered before their commit is durable, and the next group commits meanwhile.
/// </summary>
public sealed class CommitDurabilityTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_request_is_answered_only_once_its_commit_is_durable()
    {
        var durability = new HeldDurability();
        await using var queue = NewQueue(durability, out _);

        var request = queue.EnqueueAsync([1]);
        await durability.Waiting.Task.WaitAsync(Patience);
        await Task.Delay(50);
        Assert.False(request.IsCompleted, "answered before its commit was durable");

        durability.Release.TrySetResult();
        Assert.Equal([1], await request.WaitAsync(Patience));
    }

    [Fact]
    public async Task Commits_run_deferred_and_the_next_group_commits_while_the_previous_one_is_made_durable()
    {
        var durability = new HeldDurability();
        await using var queue = NewQueue(durability, out var commits);

        var first = queue.EnqueueAsync([1]);
        await durability.Waiting.Task.WaitAsync(Patience);
        var second = queue.EnqueueAsync([2]);
        try
        {
            // The first group holds no commit slot while it waits: the second group commits (deferred too).
            await commits.Reader.ReadAsync().AsTask().WaitAsync(Patience); // group 1
            await commits.Reader.ReadAsync().AsTask().WaitAsync(Patience); // group 2
            Assert.Equal(2, durability.DeferredCommits);
            Assert.False(first.IsCompleted || second.IsCompleted);
        }
        finally
        {
            durability.Release.TrySetResult();
        }

        Assert.Equal([1], await first.WaitAsync(Patience));
        Assert.Equal([2], await second.WaitAsync(Patience));
    }

    [Fact]
    public async Task When_commits_cannot_be_made_durable_their_requests_fail_with_the_reason()
    {
        var durability = new HeldDurability();
        await using var queue = NewQueue(durability, out _);

        var request = queue.EnqueueAsync([1]);
        await durability.Waiting.Task.WaitAsync(Patience);
        durability.Release.TrySetException(new IOException("fdatasync failed"));

        var failure = await Assert.ThrowsAsync<IOException>(() => request.WaitAsync(Patience));
        Assert.Equal("fdatasync failed", failure.Message);
        Assert.True(DatabaseFailures.IsUnavailable(failure), "a sync failure must be answered as unavailable (503)");
    }

    private static GroupCommitQueue<int, int> NewQueue(HeldDurability durability, out System.Threading.Channels.Channel<int> commits)
    {
        var committed = System.Threading.Channels.Channel.CreateUnbounded<int>();
        commits = committed;
        return new GroupCommitQueue<int, int>(
            "test",
            items =>
            {
                Assert.True(durability.IsDeferred, "the commit ran outside DeferAsync");
                committed.Writer.TryWrite(items.Count);
                return Task.FromResult<IReadOnlyList<int>>([.. items]);
            },
            afterCommit: null,
            new GroupCommitOptions { Writers = 2 },
            durability);
    }

    private sealed class HeldDurability : ICommitDurability
    {
        private readonly AsyncLocal<bool> _deferred = new();
        private int _deferredCommits;

        public TaskCompletionSource Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool IsDeferred => _deferred.Value;

        public int DeferredCommits => Volatile.Read(ref _deferredCommits);

        public async Task<T> DeferAsync<T>(Func<Task<T>> commit)
        {
            _deferred.Value = true;
            Interlocked.Increment(ref _deferredCommits);
            return await commit();
        }

        public Task WhenDurableAsync()
        {
            Waiting.TrySetResult();
            return Release.Task;
        }
    }
}
