using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Api.Tests.Sdk;
using Pulse.Core.Retention;

namespace Pulse.Api.Tests.Retention;

/// <summary>Server mode: weekly partitions, whole weeks dropped, rows at times with no partition stored, one pass at a time.</summary>
public sealed class RetentionTests_Server(RetentionServerFixture fixture) : RetentionTests(fixture), IClassFixture<RetentionServerFixture>
{
    [Fact]
    public async Task Events_at_times_with_no_partition_are_stored_and_found()
    {
        var name = TestEnvironment.Unique("anytime");
        DateTimeOffset[] times = [new(1970, 1, 2, 0, 0, 0, TimeSpan.Zero), DateTimeOffset.UtcNow.AddYears(-5), DateTimeOffset.UtcNow.AddYears(3), new(2999, 12, 31, 0, 0, 0, TimeSpan.Zero)];

        var ids = await AppendAsync(name, times);

        Assert.Equal(4, ids.Length);
        Assert.Equal(4, (await fixture.Client.FindAllAsync($"eventName={name}")).Count);
        Assert.Equal(8, await fixture.ScalarAsync("SELECT count(*) FROM event_properties_default WHERE event_id = ANY(@p0)", ids));
        Assert.Equal(4, await fixture.ScalarAsync("SELECT count(*) FROM campaign_events_default WHERE event_id = ANY(@p0)", ids));
    }

    [Fact]
    public async Task A_pass_makes_the_current_weeks_partitions_but_no_later_ones_and_moves_recent_rows_out_of_the_default_partition()
    {
        var name = TestEnvironment.Unique("adopt");
        var backdated = DateTimeOffset.UtcNow.AddDays(-40);
        var ids = await AppendAsync(name, [backdated]);
        var before = await fixture.ScalarAsync("SELECT count(*) FROM events_default WHERE id = @p0", ids[0]);

        var pass = await fixture.Services.GetRequiredService<IRetentionStore>().ExpireAsync(RetentionCutoffs.None, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(1, before);
        Assert.NotNull(pass);
        Assert.Equal(0, await fixture.ScalarAsync("SELECT count(*) FROM events_default WHERE id = @p0", ids[0]));
        Assert.Equal(1, await fixture.ScalarAsync($"SELECT count(*) FROM {Partition("events", backdated)} WHERE id = @p0", ids[0]));
        Assert.Equal(2, await fixture.ScalarAsync($"SELECT count(*) FROM {Partition("event_properties", backdated)} WHERE event_id = @p0", ids[0]));
        Assert.Equal(1, await PartitionExistsAsync(Partition("tracked_events", DateTimeOffset.UtcNow)));
        Assert.Equal(1, await PartitionExistsAsync(Partition("events", DateTimeOffset.UtcNow.AddHours(5))));
        Assert.Equal(0, await PartitionExistsAsync(Partition("events", DateTimeOffset.UtcNow.AddDays(8))));
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

        var whileHeld = await fixture.Services.GetRequiredService<IRetentionStore>().ExpireAsync(RetentionCutoffs.None, DateTimeOffset.UtcNow, CancellationToken.None);
        await using (var release = new NpgsqlCommand("SELECT pg_advisory_unlock(x'50756C736552'::bigint)", connection))
        {
            await release.ExecuteNonQueryAsync();
        }

        var afterwards = await fixture.Services.GetRequiredService<IRetentionStore>().ExpireAsync(RetentionCutoffs.None, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Null(whileHeld);
        Assert.NotNull(afterwards);
    }

    protected override async Task PrepareLayoutAsync(DateTimeOffset[] times)
    {
        await fixture.Services.GetRequiredService<IRetentionStore>().ExpireAsync(RetentionCutoffs.None, DateTimeOffset.UtcNow, CancellationToken.None);
        foreach (var time in times)
        {
            Assert.Equal(1, await PartitionExistsAsync(Partition("events", time)));
        }
    }

    protected override async Task AssertAfterExpiryAsync(DateTimeOffset cutoff)
    {
        // Weeks wholly before the cutoff are gone from all three tables; the week it falls in stays.
        foreach (var table in new[] { "events", "event_properties", "campaign_events" })
        {
            Assert.Equal(0, await PartitionExistsAsync(Partition(table, Boundary.AddDays(-7))));
            Assert.Equal(0, await PartitionExistsAsync(Partition(table, Boundary.AddDays(-14))));
            Assert.Equal(1, await PartitionExistsAsync(Partition(table, cutoff)));
        }
    }

    private static string Partition(string table, DateTimeOffset time) => $"{table}_p{WeekOf(time):yyyyMMdd}";

    private Task<long> PartitionExistsAsync(string name) =>
        fixture.ScalarAsync("SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relname = @p0", name);
}
