using System.Diagnostics.Metrics;
using Pulse.Core.Pipeline;

namespace Pulse.Core.Tests.Pipeline;

public sealed class GroupCommitQueueTests
{
    /// <summary>How long a test waits for something that takes milliseconds on an idle machine.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Each_commit_reports_its_events_and_duration_and_the_queue_its_depth()
    {
        var name = "metrics-" + Guid.NewGuid().ToString("N");
        var batches = new List<int>();
        var durations = new List<double>();
        var depths = new List<int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, meterListener) =>
        {
            if (instrument.Meter.Name == GroupCommitQueue<int, int>.MeterName)
            {
                meterListener.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
        {
            if (IsQueue(tags, name))
            {
                lock (batches)
                {
                    (instrument.Name == "pulse.pipeline.batch.events" ? batches : depths).Add(value);
                }
            }
        });
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            if (IsQueue(tags, name))
            {
                lock (batches)
                {
                    durations.Add(value);
                }
            }
        });
        listener.Start();

        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (var queue = new GroupCommitQueue<int, int>(
            name,
            async items =>
            {
                entered.TrySetResult();
                await gate.Task;
                return [.. items];
            },
            afterCommit: null,
            new GroupCommitOptions { Writers = 1 }))
        {
            var first = queue.EnqueueAsync([1]);
            await entered.Task;
            var second = queue.EnqueueAsync([2, 3, 4]);
            listener.RecordObservableInstruments();
            await Task.Delay(60);
            gate.SetResult();
            await first;
            await second;
        }

        Assert.Equal([1, 3], batches);
        Assert.Equal(2, durations.Count);
        Assert.True(durations[0] >= 0.05, $"the first commit was held 60 ms but measured {durations[0]} s");
        Assert.Equal([4], depths);
    }
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

    [Fact]
    public async Task Below_the_threshold_queued_items_wait_for_the_running_commit_instead_of_starting_another()
    {
        var running = 0;
        var maxRunning = 0;
        var batches = new List<int>();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var queue = new GroupCommitQueue<int, int>(
            "test",
            async items =>
            {
                lock (batches)
                {
                    maxRunning = Math.Max(maxRunning, ++running);
                    batches.Add(items.Count);
                }

                first.TrySetResult();
                await release.Task;
                lock (batches)
                {
                    running--;
                }

                return [.. items];
            },
            afterCommit: null,
            new GroupCommitOptions { Writers = 2, ConcurrentCommitMinEvents = 100 });

        var blocker = queue.EnqueueAsync([0]);
        await first.Task;
        var small = Enumerable.Range(1, 50).Select(i => queue.EnqueueAsync([i])).ToList();
        await Task.Delay(100);
        var runningMeanwhile = Volatile.Read(ref running);
        release.SetResult();
        Assert.Equal(1, runningMeanwhile);

        await blocker;
        await Task.WhenAll(small);

        Assert.Equal(1, maxRunning);
        Assert.Equal([1, 50], batches);
    }

    [Fact]
    public async Task Enough_queued_items_start_a_second_commit_while_the_first_runs()
    {
        var running = 0;
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var bothRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var queue = new GroupCommitQueue<int, int>(
            "test",
            async items =>
            {
                if (Interlocked.Increment(ref running) == 2)
                {
                    bothRunning.TrySetResult();
                }

                first.TrySetResult();
                await release.Task;
                return [.. items];
            },
            afterCommit: null,
            new GroupCommitOptions { Writers = 2, ConcurrentCommitMinEvents = 100 });

        var blocker = queue.EnqueueAsync([0]);
        await first.Task;
        var big = queue.EnqueueAsync([.. Enumerable.Range(1, 60)]);
        var bigger = queue.EnqueueAsync([.. Enumerable.Range(61, 60)]);

        // 120 events waiting cross the threshold: the second writer starts without waiting for the first.
        try
        {
            await bothRunning.Task.WaitAsync(Patience);
        }
        finally
        {
            release.TrySetResult(); // a failed wait must not leave the queue's disposal waiting for the commits
        }

        Assert.Equal([0], await blocker);
        Assert.Equal(Enumerable.Range(1, 60), await big);
        Assert.Equal(Enumerable.Range(61, 60), await bigger);
    }

    [Fact]
    public async Task After_commit_steps_run_in_queue_order_while_the_next_commit_already_runs()
    {
        var held = new HeldCounting();
        await using var queue = held.NewQueue();

        var first = queue.EnqueueAsync([1]);
        await held.FirstCounting.Task;
        var second = queue.EnqueueAsync([2]);
        try
        {
            // The first group is still counting, yet the second one commits...
            await held.SecondCommitted.Task.WaitAsync(Patience);
            await Task.Delay(50);
            lock (held.Counted)
            {
                // ...but is not counted before the first.
                Assert.Empty(held.Counted);
            }
        }
        finally
        {
            held.ReleaseCounting.TrySetResult();
        }

        await Task.WhenAll(first, second);
        Assert.Equal([1, 2], held.Counted);
    }

    [Fact]
    public async Task A_writer_woken_for_items_another_writer_took_is_free_for_the_next_commit()
    {
        // Both writers wake for item 1; one commits it and then blocks in its after-commit step. The other,
        // finding the queue empty, must still be free to commit item 2. Whether it gets the commit slot before
        // finding the queue empty is a race, made likely by busy thread-pool threads and repeated rounds.
        for (var round = 0; round < 4; round++)
        {
            var held = new HeldCounting();
            await using var queue = held.NewQueue();

            // Busy thread-pool threads delay the writers' wake-ups, so one may look only after the other's commit
            // (measured without the fix: one of the first four rounds hung in each of six runs).
            using var stop = new CancellationTokenSource();
            var busy = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Task.Run(() => { while (!stop.IsCancellationRequested) { } })).ToList();
            var first = queue.EnqueueAsync([1]);
            await held.FirstCounting.Task;
            await stop.CancelAsync();
            await Task.WhenAll(busy);
            var second = queue.EnqueueAsync([2]);
            var committedInTime = await Task.WhenAny(held.SecondCommitted.Task, Task.Delay(Patience)) == held.SecondCommitted.Task;
            held.ReleaseCounting.TrySetResult();
            await Task.WhenAll(first, second);
            Assert.True(committedInTime, $"round {round}: item 2 waited for item 1's after-commit step to be committed");
        }
    }

    private static bool IsQueue(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "queue" && Equals(tag.Value, name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A two-writer queue whose after-commit step for item 1 waits until the test releases it.</summary>
    private sealed class HeldCounting
    {
        public TaskCompletionSource FirstCounting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource ReleaseCounting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource SecondCommitted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Items counted by the after-commit step, in the order it ran; lock it to read.</summary>
        public List<int> Counted { get; } = [];

        public GroupCommitQueue<int, int> NewQueue() => new(
            "test",
            items =>
            {
                if (items.Contains(2))
                {
                    SecondCommitted.TrySetResult();
                }

                return Task.FromResult<IReadOnlyList<int>>([.. items]);
            },
            async items =>
            {
                if (items.Contains(1))
                {
                    FirstCounting.TrySetResult();
                    await ReleaseCounting.Task;
                }

                lock (Counted)
                {
                    Counted.AddRange(items);
                }
            },
            new GroupCommitOptions { Writers = 2 });
    }
}
