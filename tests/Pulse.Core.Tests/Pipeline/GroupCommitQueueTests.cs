using Pulse.Core.Pipeline;

namespace Pulse.Core.Tests.Pipeline;

public sealed class GroupCommitQueueTests
{
    [Fact]
    public async Task A_failing_after_commit_step_fails_its_group_without_committing_again()
    {
        var commits = new List<int>();
        var gate = new TaskCompletionSource();
        await using var queue = new GroupCommitQueue<int, int>(
            "test",
            async items =>
            {
                await gate.Task;
                lock (commits)
                {
                    commits.AddRange(items);
                }

                return [.. items];
            },
            _ => throw new InvalidOperationException("counting failed"),
            new GroupCommitOptions { Writers = 1 });

        var first = queue.EnqueueAsync([1]);
        var rest = Enumerable.Range(2, 5).Select(i => queue.EnqueueAsync([i])).ToList();
        gate.SetResult();

        await Assert.ThrowsAsync<InvalidOperationException>(() => first);
        foreach (var request in rest)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => request);
        }

        Assert.Equal([1, 2, 3, 4, 5, 6], commits.Order());
    }

    [Fact]
    public async Task A_rejected_item_fails_only_its_request_and_the_rest_commit_once()
    {
        var committed = new List<int>();
        var gate = new TaskCompletionSource();
        await using var queue = new GroupCommitQueue<int, int>(
            "test",
            async items =>
            {
                await gate.Task;
                if (items.Contains(13))
                {
                    throw new ArgumentException("13 is rejected");
                }

                lock (committed)
                {
                    committed.AddRange(items);
                }

                return [.. items.Select(i => i * 10)];
            },
            afterCommit: null,
            new GroupCommitOptions { Writers = 1 });

        var blocker = queue.EnqueueAsync([0]);
        var requests = Enumerable.Range(10, 6).Select(i => queue.EnqueueAsync([i])).ToList();
        gate.SetResult();
        await blocker;

        await Assert.ThrowsAsync<ArgumentException>(() => requests[3]);
        Assert.Equal([100], await requests[0]);
        Assert.Equal([150], await requests[5]);
        Assert.Equal([0, 10, 11, 12, 14, 15], committed.Order());
    }

    [Fact]
    public async Task A_transient_failure_is_never_retried_because_the_commit_may_have_happened()
    {
        var attempts = 0;
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource();
        await using var queue = new GroupCommitQueue<int, int>(
            "test",
            async items =>
            {
                entered.TrySetResult();
                await gate.Task;
                if (items.Count > 1)
                {
                    Interlocked.Increment(ref attempts);
                    throw new IOException("connection reset after the commit was sent");
                }

                return [.. items];
            },
            afterCommit: null,
            new GroupCommitOptions { Writers = 1 });

        var blocker = queue.EnqueueAsync([0]);
        await entered.Task;
        var group = Enumerable.Range(1, 4).Select(i => queue.EnqueueAsync([i])).ToList();
        gate.SetResult();
        await blocker;

        foreach (var request in group)
        {
            await Assert.ThrowsAsync<IOException>(() => request);
        }

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Draining_settles_every_queued_request()
    {
        var queue = new GroupCommitQueue<int, int>("test", async items =>
        {
            await Task.Delay(5);
            return [.. items];
        }, afterCommit: null, new GroupCommitOptions { Writers = 2 });
        var requests = Enumerable.Range(0, 200).Select(i => queue.EnqueueAsync([i])).ToList();

        await queue.DrainAsync();

        Assert.All(requests, r => Assert.True(r.IsCompletedSuccessfully));
        Assert.Equal(0, queue.QueueDepth);
    }
}
