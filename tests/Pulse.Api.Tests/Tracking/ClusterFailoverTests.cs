using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Api.Tests.Tracking.Infrastructure;
using Pulse.Core.Tracking;
using Pulse.Redis;
using Pulse.Redis.Tracking;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Pulse.Api.Tests.Tracking;

/// <summary>
/// Server mode on the 3 + 3 Redis Cluster of scripts/test.sh: the master that holds the test's counter bucket is killed
/// (SIGKILL, by PID) while several clients post tracked events. Pulse is not restarted. Measures what docs/tracking.md
/// ("Redis failover") reports; the numbers are written to the test output.
/// </summary>
public sealed class ClusterFailoverTests(ClusterFailoverTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<ClusterFailoverTests.Fixture>
{
    private const int Clients = 8;
    private const int EventsAfterFailover = 20;
    private const int WarmupCounts = 200;
    private static readonly TimeSpan FailoverDeadline = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan LoadAfterResume = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_master_killed_under_load_loses_no_event_and_counting_resumes_on_the_promoted_replica_without_long_waits()
    {
        var redis = fixture.Host.Services.GetRequiredService<RedisKeyspace>();
        var component = TrackingClient.NewComponent();
        var member = new CounterMember(component).ToString();
        var bucket = CounterKeys.Name(redis, TrackedEventType.Click, fixture.Clock.Minute);
        await using var observer = await ConnectionMultiplexer.ConnectAsync(RedisConfiguration.Parse(TestEnvironment.RedisClusterWithReplicas + ",allowAdmin=true"));
        var (master, replica, pid) = await MasterOfAsync(observer, bucket);

        // A first request outside the measurement: it pays for start-up work (JIT, first connections), not for Redis.
        await fixture.Client.TrackAsync("CLICK", TrackingClient.NewComponent());

        // Load: each client posts CLICKs back to back and times every request.
        using var stop = new CancellationTokenSource();
        var started = Stopwatch.StartNew();
        var clients = Enumerable.Range(0, Clients).Select(_ => Task.Run(() => PostUntilAsync(component, started, stop.Token))).ToArray();
        TimeSpan killedAt, promotedAt, resumedAt;
        (long Bytes, double Events) replicationLag;
        try
        {
            await WaitForCountsAsync(observer, bucket, member, WarmupCounts);
            replicationLag = await ReplicationLagAsync(observer, master, replica, bucket, member);

            killedAt = started.Elapsed;
            KillRedis(pid, master);
            (promotedAt, resumedAt) = await WatchFailoverAsync(observer, bucket, member, master, started);
            await Task.Delay(LoadAfterResume);
        }
        finally
        {
            // The clients stop even when the test fails.
            await stop.CancelAsync();
            await Task.WhenAll(clients).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        var requests = (await Task.WhenAll(clients)).SelectMany(r => r).ToList();

        // Every request answered 201, and every acknowledged event is in PostgreSQL.
        var failed = requests.Where(r => r.Status != HttpStatusCode.Created).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} requests failed, e.g. {failed.FirstOrDefault()}");
        var stored = await fixture.ScalarAsync("SELECT COUNT(*) FROM tracked_events WHERE component_id = @p0", component);
        Assert.Equal(requests.Count, stored);

        // Counting resumed on the promoted replica: events sent now are counted in Redis, and in the statistics. Pulse
        // keeps its 1 s timeouts here, so on a busy machine one slow call sends its count (and the next second's) to the
        // database instead: send bursts until one is counted in Redis entirely. Every burst is in the statistics.
        var countedBefore = await fixture.Client.CountAsync($"eventType=CLICK&componentId={component}");
        var liveBefore = await observer.GetDatabase().SortedSetScoreAsync(bucket, member) ?? 0;
        var (counted, live) = (countedBefore, liveBefore);
        var statistics = new List<string>();
        await Eventually.HoldsAsync(async () =>
        {
            await fixture.Client.TrackManyAsync(EventsAfterFailover, "CLICK", component);
            var liveNow = await observer.GetDatabase().SortedSetScoreAsync(bucket, member) ?? 0;
            var countedNow = await fixture.Client.CountAsync($"eventType=CLICK&componentId={component}");
            if (countedNow != counted + EventsAfterFailover)
            {
                statistics.Add($"{counted} + {EventsAfterFailover} counted as {countedNow}");
            }

            var inRedis = liveNow == live + EventsAfterFailover;
            (counted, live) = (countedNow, liveNow);
            return inRedis;
        }, $"{EventsAfterFailover} events sent after the failover counted in Redis");
        Assert.Empty(statistics);

        // No request waited longer than Redis' configured timeouts allow (see WaitBound).
        var bound = WaitBound(redis);
        var slowest = requests.MaxBy(r => r.Latency);
        var slowestAfterKill = requests.Where(r => r.SentAt >= killedAt).MaxBy(r => r.Latency);
        var duringFailover = requests.Where(r => r.SentAt >= killedAt && r.SentAt < resumedAt).ToList();
        var fallbackRows = await fixture.StatMinutesAsync("CLICK", component);
        var missing = stored - countedBefore;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            the replica trailed its master by at most {replicationLag.Bytes} bytes of replication stream, {replicationLag.Events:0.0} counted events (20 samples)
            killed master {master} (pid {pid}) at {killedAt.TotalSeconds:0.000} s
            replica promoted (seen by CLUSTER NODES) {(promotedAt - killedAt).TotalMilliseconds:0} ms after the kill
            first count in Redis after the kill {(resumedAt - killedAt).TotalMilliseconds:0} ms after the kill
            requests {requests.Count} ({duringFailover.Count} sent between the kill and the first count), all 201; stored {stored}
            counted {countedBefore} = Redis {liveBefore} + database fallback {fallbackRows}; missing {missing} (negative: counted twice)
            slowest request {slowest!.Latency.TotalMilliseconds:0} ms (sent at {slowest.SentAt.TotalSeconds:0.000} s), after the kill {slowestAfterKill!.Latency.TotalMilliseconds:0} ms; p99 {Percentile(requests, 0.99):0} ms; bound {bound.TotalMilliseconds:0} ms
            """));
        Assert.True(slowest.Latency < bound, $"a request took {slowest.Latency.TotalMilliseconds:0} ms, over the {bound.TotalMilliseconds:0} ms the timeouts allow");
        // Only increments in flight at the kill can be lost (acknowledged but not yet replicated) or counted twice (ran,
        // but the reply was lost, so the database counted them too); each client has one request in flight.
        Assert.InRange(missing, -Clients, Clients);
    }

    /// <summary>
    /// A tracked event's request waits for its group's commit, then for the counting of the group before it (counts are
    /// applied in commit order) and its own. A failed count makes the next second's counts skip Redis
    /// (<see cref="RedisLiveCounters.PauseAfterFailure"/>), so at most two of those calls can wait, each at most
    /// <see cref="RedisConfiguration.LongestWait"/> (the predecessor's succeeding slowly, then its own failing), plus the
    /// database work (a commit, maybe a fallback count), allowed one second on this shared machine.
    /// </summary>
    private static TimeSpan WaitBound(RedisKeyspace redis) =>
        (2 * RedisConfiguration.LongestWait(RedisConfiguration.Parse(TestEnvironment.RedisClusterWithReplicas))) + TimeSpan.FromSeconds(1);

    private async Task<List<Request>> PostUntilAsync(long component, Stopwatch clock, CancellationToken stop)
    {
        var session = TrackingClient.NewSession();
        var requests = new List<Request>();
        while (!stop.IsCancellationRequested)
        {
            var sentAt = clock.Elapsed;
            var (response, _) = await fixture.Client.PostAsync("/api/events", new { eventType = "CLICK", userId = 1, sessionId = session, metadata = new { componentId = component } });
            requests.Add(new Request(sentAt, clock.Elapsed - sentAt, response.StatusCode));
        }

        return requests;
    }

    /// <summary>The master that holds <paramref name="key"/> and its PID; it must have a replica to fail over to.</summary>
    private static async Task<(EndPoint Master, EndPoint Replica, int Pid)> MasterOfAsync(IConnectionMultiplexer observer, RedisKey key)
    {
        var nodes = await observer.GetServer(observer.GetEndPoints()[0]).ClusterNodesAsync();
        var owner = nodes!.GetBySlot(observer.HashSlot(key))!;
        Assert.True(owner.Children.Count > 0, $"{owner.EndPoint} has no replica (was it failed over already?)");
        var endpoint = owner.EndPoint!;
        var address = endpoint.ToString()!;
        Assert.True(TestEnvironment.RedisClusterWithReplicasPids.TryGetValue(address, out var pid), $"no PID for {address}");
        return (endpoint, owner.Children[0].EndPoint!, pid);
    }

    /// <summary>Waits (with a deadline) until the load has counted <paramref name="counts"/> events in Redis.</summary>
    private static async Task WaitForCountsAsync(IConnectionMultiplexer observer, RedisKey key, string member, int counts)
    {
        var deadline = DateTime.UtcNow + FailoverDeadline;
        while (await observer.GetDatabase().SortedSetScoreAsync(key, member) is not { } score || score < counts)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the load did not count {counts} events in Redis within {FailoverDeadline.TotalSeconds} s");
            await Task.Delay(25);
        }
    }

    /// <summary>
    /// How far the master's replica trails it: the increments a kill at that moment would lose. Samples, 20 times over
    /// half a second, the master's <c>master_repl_offset</c> and the replica's own <c>slave_repl_offset</c> at once, and
    /// converts the largest gap from bytes to events with the bytes the master replicated per counted event meanwhile.
    /// </summary>
    private static async Task<(long Bytes, double Events)> ReplicationLagAsync(IConnectionMultiplexer observer, EndPoint master, EndPoint replica, RedisKey key, string member)
    {
        async Task<long> OffsetAsync(EndPoint node, string field) =>
            long.Parse((await observer.GetServer(node).InfoAsync("replication")).SelectMany(group => group).Single(pair => pair.Key == field).Value, CultureInfo.InvariantCulture);

        var (firstOffset, firstScore) = (await OffsetAsync(master, "master_repl_offset"), await observer.GetDatabase().SortedSetScoreAsync(key, member) ?? 0);
        var largest = 0L;
        for (var i = 0; i < 20; i++)
        {
            var (ahead, behind) = (OffsetAsync(master, "master_repl_offset"), OffsetAsync(replica, "slave_repl_offset"));
            largest = Math.Max(largest, await ahead - await behind);
            await Task.Delay(25);
        }

        var (lastOffset, lastScore) = (await OffsetAsync(master, "master_repl_offset"), await observer.GetDatabase().SortedSetScoreAsync(key, member) ?? 0);
        return (largest, lastScore > firstScore ? largest / ((lastOffset - firstOffset) / (lastScore - firstScore)) : double.NaN);
    }

    private static void KillRedis(int pid, EndPoint master)
    {
        using var process = Process.GetProcessById(pid);
        // redis-server names itself "redis-server host:port [cluster]": the PID still belongs to that node.
        Assert.StartsWith($"redis-server {master}", process.ProcessName, StringComparison.Ordinal);
        process.Kill(); // SIGKILL: no shutdown, sockets reset by the kernel
        process.WaitForExit(TimeSpan.FromSeconds(10));
    }

    /// <summary>
    /// Polls until another node serves the key's slot (promotion) and the bucket's score grows there (a count applied
    /// after the failover), with a deadline. Returns both moments on <paramref name="clock"/>.
    /// </summary>
    private static async Task<(TimeSpan Promoted, TimeSpan Resumed)> WatchFailoverAsync(
        IConnectionMultiplexer observer, RedisKey key, string member, EndPoint oldMaster, Stopwatch clock)
    {
        var deadline = clock.Elapsed + FailoverDeadline;
        TimeSpan? promoted = null;
        double? first = null;
        while (clock.Elapsed < deadline)
        {
            try
            {
                if (promoted is null)
                {
                    var survivor = observer.GetEndPoints().First(endpoint => !endpoint.Equals(oldMaster) && observer.GetServer(endpoint).IsConnected);
                    var owner = (await observer.GetServer(survivor).ClusterNodesAsync())?.GetBySlot(observer.HashSlot(key));
                    if (owner is { IsReplica: false, IsConnected: true } && !oldMaster.Equals(owner.EndPoint))
                    {
                        promoted = clock.Elapsed;
                    }
                }

                var score = await observer.GetDatabase().SortedSetScoreAsync(key, member);
                if (promoted is not null && score is { } value)
                {
                    first ??= value;
                    if (value > first)
                    {
                        return (promoted.Value, clock.Elapsed);
                    }
                }
            }
            catch (Exception exception) when (exception is RedisException or RedisTimeoutException)
            {
                // The observer's own connection to the dead master: keep polling.
            }

            await Task.Delay(25);
        }

        Assert.Fail($"No count reached Redis within {FailoverDeadline.TotalSeconds} s of the kill (promotion seen: {promoted?.ToString() ?? "no"}).");
        return default;
    }

    private static double Percentile(List<Request> requests, double p)
    {
        var sorted = requests.Select(r => r.Latency.TotalMilliseconds).Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }

    private sealed record Request(TimeSpan SentAt, TimeSpan Latency, HttpStatusCode Status);

    /// <summary>PostgreSQL and the 3 + 3 cluster, which this test alone uses (it kills a master).</summary>
    public sealed class Fixture : TrackingServerFixture
    {
        public override string Mode => "cluster with replicas";

        protected override string RedisConfiguration => TestEnvironment.RedisClusterWithReplicas;
    }
}
