using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Pulse.Api.Statistics;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Api.Tests.Tracking.Infrastructure;
using Pulse.Core.Tracking;
using Pulse.Redis;
using Pulse.Redis.Tracking;

namespace Pulse.Api.Tests.Tracking;

/// <summary>Server mode: live Redis buckets, the roll-up into PostgreSQL, and what happens when instances race, crash or lose Redis.</summary>
public abstract class RollupTests(TrackingServerFixture fixture)
{
    private static readonly TimeSpan Patience = Eventually.Patience;
    private readonly HttpClient _client = fixture.Client;
    private readonly FakeTimeProvider _clock = fixture.Clock;

    [Fact]
    public async Task Counts_live_in_a_sorted_set_per_type_and_minute_that_expires()
    {
        var component = TrackingClient.NewComponent();
        await _client.TrackManyAsync(2, "SEARCH", component, keyword: "고양이");
        await _client.TrackAsync("UNLIKE", component, postId: 8);

        var redis = fixture.Host.Services.GetRequiredService<RedisKeyspace>();
        var search = CounterKeys.Name(redis, TrackedEventType.Search, _clock.Minute);
        var like = CounterKeys.Name(redis, TrackedEventType.Like, _clock.Minute);
        var unlike = CounterKeys.Name(redis, TrackedEventType.Unlike, _clock.Minute);

        Assert.Equal(2, await redis.Database.SortedSetScoreAsync(search, $"component:{component}:keyword:고양이"));
        Assert.Equal(1, await redis.Database.SortedSetScoreAsync(unlike, $"component:{component}:post:8"));
        Assert.True(await redis.Database.SortedSetScoreAsync(like, $"component:{component}:post:8") is null, "an UNLIKE on nothing must not create a LIKE member");
        var ttl = (await redis.Database.KeyTimeToLiveAsync(search))!.Value;
        Assert.InRange(ttl, TimeSpan.FromHours(2.9), TimeSpan.FromHours(3));
        Assert.EndsWith(":SEARCH", search.ToString(), StringComparison.Ordinal);
        Assert.StartsWith(redis.KeyPrefix, search.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Like_and_unlike_sets_share_a_cluster_slot_while_other_types_and_minutes_spread()
    {
        var redis = fixture.Host.Services.GetRequiredService<RedisKeyspace>();
        int Slot(TrackedEventType type, int minute) => HashSlot.Of(CounterKeys.Name(redis, type, _clock.Minute.AddMinutes(minute)).ToString());

        Assert.Equal(Slot(TrackedEventType.Like, 0), Slot(TrackedEventType.Unlike, 0));
        var slots = TrackedEventTypes.All.Where(t => t != TrackedEventType.Unlike).SelectMany(t => Enumerable.Range(0, 10).Select(m => Slot(t, m))).ToHashSet();
        Assert.True(slots.Count > 30, $"40 buckets landed in only {slots.Count} slots");
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Statistics_are_the_same_before_and_after_a_rollup_and_the_bucket_is_rolled_up_once()
    {
        var component = TrackingClient.NewComponent();
        var minute = _clock.Minute;
        await _client.TrackManyAsync(3, "CLICK", component);
        await _client.TrackManyAsync(2, "LIKE", component, postId: 4);
        await _client.TrackAsync("UNLIKE", component, postId: 4);
        var clicks = $"eventType=CLICK&componentId={component}";
        var likes = $"eventType=LIKE&componentId={component}&postId=4";
        Assert.Equal(3, await _client.CountAsync(clicks));
        Assert.Equal(1, await _client.CountAsync(likes));
        Assert.Equal(0, await fixture.StatMinutesAsync("CLICK", component));

        _clock.CloseBuckets();
        await fixture.Host.WaitForRollupAsync();

        Assert.Equal(3, await fixture.StatMinutesAsync("CLICK", component, minute));
        Assert.Equal(3, await fixture.StatTotalsAsync("CLICK", component));
        Assert.Equal(1, await fixture.StatMinutesAsync("LIKE", component, minute));
        Assert.Equal(1, await Markers("CLICK", minute));
        Assert.Equal(3, await _client.CountAsync(clicks));
        Assert.Equal(1, await _client.CountAsync(likes));
        Assert.Equal(3, await _client.CountAsync($"{clicks}&from={TrackingClient.Iso(minute)}&to={TrackingClient.Iso(minute.AddMinutes(1))}"));

        // Events after the roll-up join the rolled-up ones; the old bucket, still in Redis, is not counted again.
        await _client.TrackManyAsync(2, "CLICK", component);
        Assert.Equal(5, await _client.CountAsync(clicks));
        await fixture.Host.WaitForRollupAsync();
        Assert.Equal(5, await _client.CountAsync(clicks));
        Assert.Equal(3, await fixture.StatTotalsAsync("CLICK", component));
    }

    [Fact]
    public async Task Top_keywords_merge_rolled_up_and_live_minutes()
    {
        _clock.Advance(TimeSpan.FromMinutes(5));
        var tag = Guid.NewGuid().ToString("N")[..6];
        var component = TrackingClient.NewComponent();
        await _client.TrackManyAsync(4, "SEARCH", component, keyword: "rolled-" + tag);
        await _client.TrackManyAsync(1, "SEARCH", component, keyword: "both-" + tag);
        _clock.CloseBuckets();
        await fixture.Host.WaitForRollupAsync();
        await _client.TrackManyAsync(4, "SEARCH", component, keyword: "both-" + tag);
        await _client.TrackManyAsync(3, "SEARCH", component, keyword: "live-" + tag);

        var top = await _client.TopKeywordsAsync("minutes=4");

        Assert.Equal([("both-" + tag, 5L), ("rolled-" + tag, 4L), ("live-" + tag, 3L)], top);
        Assert.Equal([("both-" + tag, 5L)], await _client.TopKeywordsAsync("minutes=4&limit=1"));
    }

    [Fact]
    public async Task Two_instances_rolling_up_the_same_bucket_at_once_count_it_once()
    {
        await using var other = fixture.StartHost();
        var component = TrackingClient.NewComponent();
        var minute = _clock.Minute;
        await _client.TrackManyAsync(5, "CLICK", component);
        await other.Client.TrackManyAsync(4, "CLICK", component);

        // Both instances read the bucket, then wait for each other before committing it.
        var arrivals = new[] { new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        fixture.Host.Faults.Hook = MeetAt(0);
        other.Faults.Hook = MeetAt(1);
        _clock.CloseBuckets();
        await Task.WhenAll(arrivals.Select(a => a.Task)).WaitAsync(Patience);
        await Task.WhenAll(fixture.Host.WaitForRollupAsync(), other.WaitForRollupAsync());
        fixture.Host.Faults.Hook = null;

        Assert.Equal(9, await fixture.StatMinutesAsync("CLICK", component, minute));
        Assert.Equal(9, await fixture.StatTotalsAsync("CLICK", component));
        Assert.Equal(1, await Markers("CLICK", minute));
        Assert.Equal(9, await _client.CountAsync($"eventType=CLICK&componentId={component}"));
        Assert.Equal(9, await other.Client.CountAsync($"eventType=CLICK&componentId={component}"));

        Func<IReadOnlyList<BucketContents>, CancellationToken, Task> MeetAt(int me) => async (buckets, ct) =>
        {
            if (RollupFaults.Holds(buckets, TrackedEventType.Click, minute, component))
            {
                arrivals[me].TrySetResult();
                await arrivals[1 - me].Task.WaitAsync(Patience, ct);
            }
        };
    }

    [Fact]
    public async Task A_rollup_killed_before_its_commit_is_done_exactly_once_by_a_restarted_instance()
    {
        var component = TrackingClient.NewComponent();
        var minute = _clock.Minute;
        await _client.TrackManyAsync(6, "CLICK", component);
        var clicks = $"eventType=CLICK&componentId={component}";

        // The fixture's instance crashes at the commit of this bucket, over and over; another one hangs there.
        var crashes = 0;
        fixture.Host.Faults.Hook = (buckets, _) =>
        {
            if (RollupFaults.Holds(buckets, TrackedEventType.Click, minute, component))
            {
                Interlocked.Increment(ref crashes);
                throw new InvalidOperationException("simulated crash before commit");
            }

            return Task.CompletedTask;
        };
        var hung = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var doomed = fixture.StartHost();
        doomed.Faults.Hook = async (buckets, ct) =>
        {
            if (RollupFaults.Holds(buckets, TrackedEventType.Click, minute, component))
            {
                hung.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            }
        };

        _clock.CloseBuckets();
        await hung.Task.WaitAsync(Patience);
        await Eventually.HoldsAsync(() => Volatile.Read(ref crashes) >= 2, "two crashed roll-up passes");

        Assert.Equal(0, await Markers("CLICK", minute));
        Assert.Equal(0, await fixture.StatMinutesAsync("CLICK", component));
        Assert.Equal(6, await _client.CountAsync(clicks));

        await doomed.DisposeAsync(); // killed mid roll-up
        await using (var restarted = fixture.StartHost())
        {
            await restarted.WaitForRollupAsync();
        }

        Assert.Equal(1, await Markers("CLICK", minute));
        Assert.Equal(6, await fixture.StatMinutesAsync("CLICK", component, minute));
        Assert.Equal(6, await fixture.StatTotalsAsync("CLICK", component));
        Assert.Equal(6, await _client.CountAsync(clicks));

        // The crashed instance recovers: the bucket is already rolled up, so it adds nothing.
        fixture.Host.Faults.Hook = null;
        await fixture.Host.WaitForRollupAsync();
        Assert.Equal(6, await fixture.StatTotalsAsync("CLICK", component));
        Assert.Equal(6, await _client.CountAsync(clicks));
    }

    [Fact]
    public async Task While_redis_is_down_events_are_accepted_and_counted_in_the_database()
    {
        await using var cutOff = fixture.StartHost(new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = "127.0.0.1:1,connectTimeout=200" });
        var component = TrackingClient.NewComponent();
        var session = TrackingClient.NewSession();
        var minute = _clock.Minute;
        await _client.TrackManyAsync(2, "CLICK", component); // counted in Redis by the healthy instance

        foreach (var type in new[] { "CLICK", "CLICK", "LIKE", "LIKE", "UNLIKE", "UNLIKE", "UNLIKE", "LIKE" })
        {
            var (response, _) = await cutOff.Client.PostAsync("/api/events", new
            {
                eventType = type,
                userId = 1,
                sessionId = session,
                metadata = new { componentId = component, postId = type == "CLICK" ? (long?)null : 2 },
            });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        Assert.Equal(8, await fixture.TrackedEventRowsAsync(session));
        Assert.Equal(2, await fixture.StatMinutesAsync("CLICK", component, minute));
        Assert.Equal(1, await fixture.StatMinutesAsync("LIKE", component, minute)); // 1, 2, 1, 0, 0, 1
        Assert.Equal(3, await fixture.StatTotalsAsync("UNLIKE", component));
        Assert.Equal(4, await _client.CountAsync($"eventType=CLICK&componentId={component}"));
        Assert.Equal(1, await _client.CountAsync($"eventType=LIKE&componentId={component}&postId=2"));

        var (partial, body) = await cutOff.Client.GetJsonAsync($"/api/statistics?eventType=CLICK&componentId={component}");
        Assert.Equal(HttpStatusCode.OK, partial.StatusCode);
        Assert.Equal("live-counters-unavailable", partial.Headers.GetValues(StatisticsApi.PartialHeader).Single());
        Assert.Equal(2, body["count"]!.GetValue<long>());

        // The Redis bucket rolls up on top of the database rows: each event is counted in exactly one place.
        _clock.CloseBuckets();
        await fixture.Host.WaitForRollupAsync();
        Assert.Equal(4, await fixture.StatMinutesAsync("CLICK", component, minute));
        Assert.Equal(4, await fixture.StatTotalsAsync("CLICK", component));
        Assert.Equal(4, await _client.CountAsync($"eventType=CLICK&componentId={component}"));
        Assert.Equal(4, await fixture.ComponentMinutesAsync("CLICK", component));
        Assert.Equal(1, await fixture.ComponentMinutesAsync("LIKE", component));
        foreach (var type in new[] { "CLICK", "LIKE", "UNLIKE" })
        {
            Assert.Equal(0, await fixture.ComponentMinutesOutOfStepAsync(type, component));
        }
    }

    private Task<long> Markers(string type, DateTimeOffset minute) =>
        fixture.ScalarAsync("SELECT COUNT(*) FROM stat_rollups WHERE type = @p0 AND minute = @p1", type, minute);
}

public sealed class RollupTests_Server(TrackingServerFixture fixture) : RollupTests(fixture), IClassFixture<TrackingServerFixture>;

public sealed class RollupTests_Cluster(TrackingClusterFixture fixture) : RollupTests(fixture), IClassFixture<TrackingClusterFixture>;
