using Pulse.Core.Tracking;
using Pulse.Redis.Tests.Infrastructure;
using Pulse.Redis.Tracking;

namespace Pulse.Redis.Tests;

/// <summary>The counter buckets as Pulse writes and reads them, on one server and on a cluster.</summary>
public abstract class LiveCountersTests(IRedisTarget target) : IAsyncLifetime
{
    private static readonly DateTimeOffset Minute = new(2026, 11, 21, 6, 52, 0, TimeSpan.Zero);
    private static readonly TimeSpan Retention = TimeSpan.FromHours(3);
    private TestKeyspace _redis = null!;
    private RedisLiveCounters _counters = null!;

    public async Task InitializeAsync()
    {
        _redis = await TestKeyspace.ConnectAsync(target.Configuration);
        _counters = new RedisLiveCounters(_redis.Keyspace, Retention, _redis.Logger<RedisLiveCounters>());
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task Updates_of_several_types_and_minutes_are_applied_in_one_call_each_and_read_back()
    {
        var component = new CounterMember(7);
        var missed = await _counters.CountAsync(
            [
                new(TrackedEventType.Click, Minute, component, 2, 0),
                new(TrackedEventType.Click, Minute.AddMinutes(1), component, 3, 0),
                new(TrackedEventType.PageView, Minute, component, 1, 0),
                new(TrackedEventType.Search, Minute, new CounterMember(7, Keyword: "고양이:1"), 4, 0),
            ],
            CancellationToken.None);

        Assert.Empty(missed);
        Assert.Equal(5, await _counters.SumAsync(TrackedEventType.Click, component, [Minute, Minute.AddMinutes(1), Minute.AddMinutes(2)], default));
        Assert.Equal(1, await _counters.SumAsync(TrackedEventType.PageView, component, [Minute], default));
        Assert.Equal(new Dictionary<string, long> { ["고양이:1"] = 4 }, await _counters.SumKeywordsAsync([Minute, Minute.AddMinutes(1)], default));
        var read = await _counters.ReadAsync([new(TrackedEventType.Click, Minute.AddMinutes(1)), new(TrackedEventType.Like, Minute)], default);
        Assert.Equal([new MemberCount(component, 3)], read[0].Counts);
        Assert.Empty(read[1].Counts);
        Assert.Empty(_redis.Logs.Messages);
    }

    [Fact]
    public async Task An_unlike_lowers_the_like_count_in_the_same_call_but_never_below_zero()
    {
        var post = new CounterMember(9, PostId: 4);
        await _counters.CountAsync([new(TrackedEventType.Like, Minute, post, 1, 0)], default);

        var missed = await _counters.CountAsync(
            [
                new(TrackedEventType.Like, Minute, post, -2, 0),
                new(TrackedEventType.Unlike, Minute, post, 2, 0),
            ],
            default);

        Assert.Empty(missed);
        Assert.Equal(0, await _counters.SumAsync(TrackedEventType.Like, post, [Minute], default));
        Assert.Equal(2, await _counters.SumAsync(TrackedEventType.Unlike, post, [Minute], default));
        // The LIKE set and the UNLIKE set of a minute share a cluster slot: that is what lets one script touch both.
        var hashSlot = _redis.Keyspace.Connection.HashSlot;
        Assert.Equal(hashSlot(CounterKeys.Name(_redis.Keyspace, TrackedEventType.Like, Minute)), hashSlot(CounterKeys.Name(_redis.Keyspace, TrackedEventType.Unlike, Minute)));
    }

    [Fact]
    public async Task A_bucket_expires_its_retention_after_its_first_count_and_keeps_the_prefix()
    {
        var key = CounterKeys.Name(_redis.Keyspace, TrackedEventType.Click, Minute);
        await _counters.CountAsync([new(TrackedEventType.Click, Minute, new CounterMember(1), 1, 0)], default);
        var first = await _redis.Database.KeyTimeToLiveAsync(key);
        await Task.Delay(1100);
        await _counters.CountAsync([new(TrackedEventType.Click, Minute, new CounterMember(1), 1, 0)], default);
        var second = await _redis.Database.KeyTimeToLiveAsync(key);

        Assert.Equal(_redis.Keyspace.KeyPrefix + "stats:{202611210652:CLICK}:CLICK", key.ToString());
        Assert.InRange(first!.Value, Retention - TimeSpan.FromSeconds(5), Retention);
        Assert.True(second < first - TimeSpan.FromSeconds(1), $"the expiry was renewed: {first} then {second}");
    }
}

public sealed class LiveCountersTests_Server(RedisServerFixture redis) : LiveCountersTests(redis), IClassFixture<RedisServerFixture>;

public sealed class LiveCountersTests_Cluster(RedisClusterFixture redis) : LiveCountersTests(redis), IClassFixture<RedisClusterFixture>;
