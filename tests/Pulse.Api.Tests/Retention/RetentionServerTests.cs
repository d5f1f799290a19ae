using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Api.Tests.Lifecycle;
using Pulse.Api.Tests.Sdk;
using Pulse.Api.Tests.Transfer;
using Pulse.Core.Retention;
using Pulse.Core.Tracking;
using Pulse.Postgres.Retention;

namespace Pulse.Api.Tests.Retention;

/// <summary>Server mode: id ranges, whole ranges dropped, the other ranges' expired rows deleted, one pass at a time.</summary>
public sealed class RetentionTests_Server(RetentionServerFixture fixture) : RetentionTests(fixture), IClassFixture<RetentionServerFixture>
{
    private PostgresRetentionStore Ranges => (PostgresRetentionStore)fixture.Services.GetRequiredService<IRetentionStore>();

    [Fact]
    public async Task Retention_across_range_boundaries_drops_the_wholly_expired_range_and_deletes_exactly_the_expired_rows_of_the_others()
    {
        var name = TestEnvironment.Unique("ranges");
        var now = DateTimeOffset.UtcNow;
        var cutoff = now.AddDays(-30);
        // Range A: only expired events. Range B: expired and kept ones. Range C (the newest): kept ones.
        var a = await Ranges.StartRangeAsync("events", now.AddHours(-3), CancellationToken.None);
        var inA = await AppendAsync(name, [cutoff.AddDays(-10), cutoff.AddMinutes(-1)]);
        var b = await Ranges.StartRangeAsync("events", now.AddHours(-2), CancellationToken.None);
        var expiredInB = await AppendAsync(name, [cutoff.AddDays(-3), cutoff.AddSeconds(-5)]);
        var keptInB = await AppendAsync(name, [cutoff.AddMinutes(1), now.AddDays(-1)]);
        var c = await Ranges.StartRangeAsync("events", now.AddHours(-1), CancellationToken.None);
        var inC = await AppendAsync(name, [cutoff.AddDays(-40).AddYears(1), now]);
        long[] all = [.. inA, .. expiredInB, .. keptInB, .. inC];

        // Ids increase across the boundaries, each range's from its first id.
        Assert.All(inA, id => Assert.InRange(id, a, b - 1));
        Assert.All([.. expiredInB, .. keptInB], id => Assert.InRange(id, b, c - 1));
        Assert.All(inC, id => Assert.True(id >= c, $"id {id} below range C's first {c}"));
        Assert.Equal(all.Order(), all);
        // Searches page across ranges in either order, and the export streams every range.
        Assert.Equal(all.Order(), await PagesAsync($"eventName={name}&order=asc", 3));
        Assert.Equal(all.OrderDescending(), await PagesAsync($"eventName={name}&order=desc", 3));
        var exported = TransferClient.Lines(await fixture.Client.ExportTextAsync($"/api/v1/events/export?eventName={name}&format=ndjson"));
        Assert.Equal(all.Order(), exported.Select(line => line["id"]!.GetValue<long>()).Order());

        var pass = await Ranges.ExpireAsync(new RetentionCutoffs(cutoff, null, null) { PartitionPeriod = TimeSpan.FromDays(365) }, now, CancellationToken.None);

        Assert.NotNull(pass);
        Assert.True(pass.PartitionsDropped >= 3, $"dropped {pass.PartitionsDropped} partitions");
        Assert.Equal(0, pass.PartitionsCreated);
        foreach (var table in new[] { "events", "event_properties", "campaign_events" })
        {
            Assert.Equal(0, await PartitionCountAsync(PartitionName(table, a)));
            Assert.Equal(0, await fixture.ScalarAsync("SELECT count(*) FROM pg_class WHERE relname = @p0", PartitionName(table, a)));
            Assert.Equal(1, await PartitionCountAsync(PartitionName(table, b)));
            Assert.Equal(1, await PartitionCountAsync(PartitionName(table, c)));
        }

        long[] kept = [.. keptInB, .. inC];
        Assert.Equal(kept, (await fixture.Client.FindAllAsync($"eventName={name}")).Select(e => e["id"]!.GetValue<long>()).Order());
        await fixture.AssertDetailsAsync(expiredInB, kept);

        Assert.Equal(0, await fixture.ScalarAsync("SELECT count(*) FROM retention_ranges WHERE table_set = 'events' AND first_id = @p0", a));
        // New writes go on in the newest range.
        Assert.True((await AppendAsync(name, [now]))[0] > inC[^1]);
    }

    [Fact]
    public async Task Tracked_events_expire_by_whole_ranges_and_in_chunks_by_their_own_time()
    {
        var session = TestEnvironment.Unique("tracked-ranges");
        var now = DateTimeOffset.UtcNow;
        var cutoff = now.AddDays(-30);
        var store = fixture.Services.GetRequiredService<ITrackedEventStore>();
        Task AppendAsync(params DateTimeOffset[] times) => store.AppendAsync(
            [.. times.Select(time => new TrackedEvent(TrackedEventType.Click, null, session, 7, null, null, null, time))], [], CancellationToken.None);
        var a = await Ranges.StartRangeAsync("tracked_events", now.AddHours(-3), CancellationToken.None);
        await AppendAsync(cutoff.AddDays(-5), cutoff.AddMinutes(-1));
        var b = await Ranges.StartRangeAsync("tracked_events", now.AddHours(-2), CancellationToken.None);
        await AppendAsync(cutoff.AddHours(-1), cutoff.AddMinutes(1), now);
        var inRangeA = await fixture.ScalarAsync("SELECT count(*) FROM tracked_events WHERE session_id = @p0 AND id >= @p1 AND id < @p2", session, a, b);

        var pass = await Ranges.ExpireAsync(new RetentionCutoffs(null, cutoff, null) { PartitionPeriod = TimeSpan.FromDays(365) }, now, CancellationToken.None);

        Assert.Equal(2, inRangeA);
        Assert.NotNull(pass);
        Assert.True(pass.TrackedEvents >= 3, $"removed {pass.TrackedEvents} tracked events");
        Assert.Equal(0, await fixture.ScalarAsync("SELECT count(*) FROM pg_class WHERE relname = @p0", PartitionName("tracked_events", a)));
        Assert.Equal(1, await PartitionCountAsync(PartitionName("tracked_events", b)));
        Assert.Equal(2, await fixture.ScalarAsync("SELECT count(*) FROM tracked_events WHERE session_id = @p0", session));
        Assert.Equal(0, await fixture.ScalarAsync("SELECT count(*) FROM tracked_events WHERE session_id = @p0 AND occurred_at < @p1", session, cutoff));
    }

    [Fact]
    public async Task Erasure_removes_a_persons_events_from_every_range()
    {
        var name = TestEnvironment.Unique("erase-ranges");
        var now = DateTimeOffset.UtcNow;
        var first = await AppendAsync(name, [now.AddDays(-2), now.AddDays(-1)]);
        await Ranges.StartRangeAsync("events", now.AddHours(-1), CancellationToken.None);
        var second = await AppendAsync(name, [now]);
        Assert.Equal(3, (await fixture.Client.FindAllAsync($"eventName={name}")).Count);

        var erasure = await fixture.Client.EraseAsync("retention-" + name);

        Assert.Equal(3, erasure.Removed("events"));
        Assert.Empty(await fixture.Client.FindAllAsync($"eventName={name}"));
        Assert.Equal(0, await fixture.ScalarAsync("SELECT count(*) FROM event_properties WHERE event_id = ANY(@p0)", new[] { first[0], first[1], second[0] }));
        Assert.Equal(0, await fixture.ScalarAsync("SELECT count(*) FROM campaign_events WHERE event_id = ANY(@p0)", new[] { first[0], first[1], second[0] }));
    }

    [Fact]
    public async Task Minute_counters_of_components_expire_with_the_minute_counters()
    {
        var component = Random.Shared.NextInt64(1_000_000, 9_000_000);
        var old = DateTimeOffset.UtcNow.AddDays(-40);
        await fixture.ScalarAsync(
            "INSERT INTO stat_component_minutes (type, component_id, minute, count) VALUES ('CLICK', @p0, @p1, 1), ('CLICK', @p0, @p2, 1) RETURNING 0",
            component, date_trunc(old), date_trunc(DateTimeOffset.UtcNow));

        await Ranges.ExpireAsync(new RetentionCutoffs(null, null, DateTimeOffset.UtcNow.AddDays(-30)), DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(1, await fixture.ScalarAsync("SELECT count(*) FROM stat_component_minutes WHERE component_id = @p0", component));
        Assert.Equal(0, await fixture.ScalarAsync("SELECT count(*) FROM stat_component_minutes WHERE component_id = @p0 AND minute < now() - interval '30 days'", component));

        static DateTimeOffset date_trunc(DateTimeOffset time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
    }

    [Fact]
    public async Task Only_one_instance_runs_a_pass_at_a_time()
    {
        await using var connection = new NpgsqlConnection(fixture.PostgresConnectionString);
        await connection.OpenAsync();
        await using (var hold = new NpgsqlCommand("SELECT pg_advisory_lock(x'50756C736552'::bigint)", connection))
        {
            await hold.ExecuteNonQueryAsync();
        }

        var whileHeld = await Ranges.ExpireAsync(RetentionCutoffs.None, DateTimeOffset.UtcNow, CancellationToken.None);
        await using (var release = new NpgsqlCommand("SELECT pg_advisory_unlock(x'50756C736552'::bigint)", connection))
        {
            await release.ExecuteNonQueryAsync();
        }

        var afterwards = await Ranges.ExpireAsync(RetentionCutoffs.None, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Null(whileHeld);
        Assert.NotNull(afterwards);
    }

    /// <summary>Every id of a search, page by page with <paramref name="limit"/> per page.</summary>
    private async Task<List<long>> PagesAsync(string query, int limit)
    {
        var ids = new List<long>();
        long? after = null;
        do
        {
            var (response, body) = await fixture.Client.GetJsonAsync($"/api/v1/events?{query}&limit={limit}" + (after is { } a ? $"&after={a}" : ""));
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            ids.AddRange(body["data"]!["events"]!.AsArray().Select(e => e!["id"]!.GetValue<long>()));
            after = body["data"]!["nextCursor"] is { } next ? next.GetValue<long>() : null;
        }
        while (after is not null);

        return ids;
    }

    private static string PartitionName(string table, long firstId) => $"{table}_r{firstId >> 40}";

    private Task<long> PartitionCountAsync(string name) =>
        fixture.ScalarAsync("SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relname = @p0", name);
}
