using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pulse.Core.Posts;
using Pulse.Core.Tracking;
using Pulse.Redis.Posts;
using Pulse.Redis.Tests.Infrastructure;
using Pulse.Redis.Tracking;

namespace Pulse.Redis.Tests;

/// <summary>
/// Redis is an accelerator: on a Redis of the test's own that it kills and restarts, every adapter reports a failure
/// as a miss or a skip at once (logged, never thrown, no secret in the log), and uses Redis again once it is back,
/// on the same multiplexer.
/// </summary>
public sealed class OutageTests
{
    private const string Password = "outage-secret-7f3a";
    private static readonly DateTimeOffset Minute = new(2026, 11, 21, 6, 52, 0, TimeSpan.Zero);

    [Fact]
    public async Task While_redis_is_down_every_adapter_answers_at_once_and_after_a_restart_redis_is_used_again()
    {
        using var server = await RedisServer.StartAsync(cluster: false, "--requirepass", Password);
        var configuration = $"{server.Endpoint},password={Password}";
        await using var redis = await TestKeyspace.ConnectWithPulseTimeoutsAsync(configuration);
        var adapters = new Adapters(redis);
        var update = new CounterUpdate(TrackedEventType.Click, Minute, new CounterMember(1), 1, 0);
        // Counting in Redis before the outage; with Pulse's 1 s timeout one call may fail on a busy machine: ask again.
        await Eventually.SucceedsAsync(
            async () => (await adapters.Counters.CountAsync([update], default)).Count == 0, Eventually.Patience, "counting in Redis before the outage");

        server.Kill();
        var longestWait = RedisConfiguration.LongestWait(RedisConfiguration.Parse(configuration));
        var slowest = TimeSpan.Zero;
        async Task<T> Timed<T>(Func<Task<T>> call)
        {
            var stopwatch = Stopwatch.StartNew();
            var result = await call();
            slowest = stopwatch.Elapsed > slowest ? stopwatch.Elapsed : slowest;
            return result;
        }

        Assert.Equal([update], await Timed(() => adapters.Counters.CountAsync([update], default)));
        await Assert.ThrowsAsync<LiveCountersUnavailableException>(() => Timed(() => adapters.Counters.SumAsync(TrackedEventType.Click, update.Member, [Minute], default)));
        await Assert.ThrowsAsync<LiveCountersUnavailableException>(() => Timed(() => adapters.Counters.ReadAsync([new(TrackedEventType.Click, Minute)], default)));
        Assert.Null(await Timed(() => adapters.Shared.GetAsync("user:ext:a", default).AsTask()));
        await Timed(async () => { await adapters.Shared.SetAsync("user:ext:a", new byte[] { 1 }, TimeSpan.FromMinutes(1), default); return 0; });
        await Timed(async () => { await adapters.Shared.InvalidateAsync("user:ext:a", default); return 0; });
        Assert.Equal(CacheReadStatus.Unavailable, (await Timed(() => adapters.Search.GetAsync("k", default).AsTask())).Status);
        Assert.Equal(LockAttempt.Unavailable, await Timed(() => adapters.Search.TryAcquireLockAsync("k", "t", TimeSpan.FromSeconds(5), default).AsTask()));
        await Timed(async () => { await adapters.Search.ReleaseLockAsync("k", "t", default); return 0; });
        await Timed(async () => { await adapters.Recent.PushAsync(1, "k", default); return 0; });
        Assert.Empty(await Timed(() => adapters.Recent.GetAsync(1, default).AsTask()));
        await Assert.ThrowsAnyAsync<Exception>(() => Timed(() => adapters.Health.CheckHealthAsync(new HealthCheckContext())));

        Assert.True(slowest < longestWait, $"a call took {slowest}, longer than the configured {longestWait}");
        Assert.True(redis.Logs.Messages.Count >= 9, "every failure is logged:\n" + string.Join('\n', redis.Logs.Messages));
        Assert.All(redis.Logs.Messages, message => Assert.DoesNotContain(Password, message, StringComparison.Ordinal));

        await server.StartAsync();
        await Eventually.SucceedsAsync(
            async () => (await adapters.Counters.CountAsync([update], default)).Count == 0, Eventually.Patience, "counting in Redis again");
        Assert.Equal(1, await adapters.Counters.SumAsync(TrackedEventType.Click, update.Member, [Minute], default));
        Assert.Equal(HealthStatus.Healthy, (await adapters.Health.CheckHealthAsync(new HealthCheckContext())).Status);
        await adapters.Search.SetAsync("k", new SearchCacheEntry([], DateTimeOffset.UnixEpoch, TimeSpan.Zero), TimeSpan.FromMinutes(1), default);
        Assert.Equal(CacheReadStatus.Hit, (await adapters.Search.GetAsync("k", default)).Status);
    }

    [Fact]
    public async Task An_instance_started_while_redis_is_down_hears_invalidations_once_redis_is_up()
    {
        var server = RedisServer.OnPort(FreePort.Find());
        try
        {
            var prefix = TestKeys.Unique("deployment") + ":";
            await using var early = await TestKeyspace.ConnectWithPulseTimeoutsAsync(server.Endpoint, prefix);
            var cache = new RedisSharedCache(early.Keyspace, early.Logger<RedisSharedCache>());
            var heard = 0;
            cache.OnInvalidated(_ => Interlocked.Increment(ref heard));
            await cache.StartAsync(default);
            Assert.Contains(early.Logs.Messages, message => message.Contains("subscribe", StringComparison.Ordinal));

            await server.StartAsync();
            await using var late = await TestKeyspace.ConnectWithPulseTimeoutsAsync(server.Endpoint, prefix);
            var publisher = new RedisSharedCache(late.Keyspace, late.Logger<RedisSharedCache>());

            await Eventually.SucceedsAsync(
                async () =>
                {
                    await publisher.InvalidateAsync("user:ext:b", default);
                    await Task.Delay(100);
                    return Volatile.Read(ref heard) > 0;
                },
                Eventually.Patience,
                "the early instance hearing an invalidation");
        }
        finally
        {
            server.Dispose();
        }
    }

    private sealed class Adapters(TestKeyspace redis)
    {
        public RedisLiveCounters Counters { get; } = new(redis.Keyspace, TimeSpan.FromHours(3), redis.Logger<RedisLiveCounters>());

        public RedisSharedCache Shared { get; } = new(redis.Keyspace, redis.Logger<RedisSharedCache>());

        public RedisSearchResultCache Search { get; } = new(redis.Keyspace, redis.Logger<RedisSearchResultCache>());

        public RedisRecentKeywords Recent { get; } = new(redis.Keyspace, redis.Logger<RedisRecentKeywords>());

        public RedisHealthCheck Health { get; } = new(redis.Keyspace);
    }
}
