using Npgsql;
using Pulse.Api.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Pulse.Core.Retention;
using Pulse.Postgres;
using Pulse.Postgres.Retention;

namespace Pulse.Api.Tests.Retention;

/// <summary>
/// A populated database is converted in place the first time retention is set for a table set (each table becomes its
/// own range-0 partition): every row and id kept, identities continue. Version 600 alone, and settings that keep
/// everything, leave the tables plain; a pass starts ranges only when a retention setting asks.
/// </summary>
public sealed class PartitioningMigrationTests : IAsyncLifetime
{
    // Every table's rows, in key order, as one digest: equal before and after means every row and id was kept.
    private const string Digest = """
        SELECT concat_ws('|',
            (SELECT md5(string_agg(concat_ws(',', id, name, user_id, external_id, properties::text, created_at, event_time, message::text, sent_at, time_clamped), ';' ORDER BY id)) FROM events),
            (SELECT md5(string_agg(concat_ws(',', event_id, key, value, num_value), ';' ORDER BY event_id, key)) FROM event_properties),
            (SELECT md5(string_agg(concat_ws(',', campaign_id, event_id), ';' ORDER BY campaign_id, event_id)) FROM campaign_events),
            (SELECT md5(string_agg(concat_ws(',', id, type, user_id, session_id, component_id, element_id, keyword, post_id, occurred_at), ';' ORDER BY id)) FROM tracked_events),
            (SELECT count(*) FROM events), (SELECT count(*) FROM event_properties), (SELECT count(*) FROM tracked_events))
        """;

    private string _database = string.Empty;
    private NpgsqlDataSource? _dataSource;

    public async Task InitializeAsync()
    {
        _database = await TestDatabases.CreateAsync();
        _dataSource = NpgsqlDataSource.Create(TestDatabases.ConnectionString(_database));
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        await TestDatabases.DropAsync(_database);
    }

    [Fact]
    public async Task A_database_converts_in_place_when_retention_is_first_set_keeping_every_row_and_id_and_writes_continue()
    {
        await PostgresMigrations.MigrateAsync(_dataSource!, PostgresSchema.Scripts, CancellationToken.None);
        await ExecuteAsync("""
            INSERT INTO users (external_id, user_attributes, created_at, updated_at) VALUES ('old-user', '{}', now(), now());
            INSERT INTO campaigns (name, properties, created_at) VALUES ('old-campaign', '[]', now());
            INSERT INTO events (name, user_id, external_id, properties, created_at, event_time, message, sent_at, time_clamped)
                SELECT 'old-' || (g % 7), 1, 'old-user', '[]', now() - g * interval '1 hour', now() - g * interval '1 hour',
                       CASE WHEN g % 3 = 0 THEN '{"m":1}'::json END, CASE WHEN g % 3 = 0 THEN now() END, g % 5 = 0
                FROM generate_series(1, 3000) AS g;
            INSERT INTO events (name, user_id, external_id, properties, created_at, event_time)
                VALUES ('old-far', 1, 'old-user', '[]', now(), '1999-01-01'), ('old-far', 1, 'old-user', '[]', now(), now() + interval '3 years');
            INSERT INTO event_properties (event_id, key, value, num_value) SELECT id, 'k', 'v' || id, id FROM events;
            INSERT INTO event_properties (event_id, key, value) SELECT id, 'other', 'x' FROM events WHERE id % 2 = 0;
            INSERT INTO campaign_events (campaign_id, event_id) SELECT 1, id FROM events WHERE id % 4 = 0;
            INSERT INTO tracked_events (type, user_id, session_id, component_id, occurred_at)
                SELECT 'PAGE_VIEW', NULL, 's' || g, g, now() - g * interval '1 minute' FROM generate_series(1, 500) AS g;
            SELECT setval(pg_get_serial_sequence('events', 'id'), 5000);
            """);
        var before = await ScalarAsync<string>(Digest);
        var trackedBefore = await ScalarAsync<long>("SELECT max(id) FROM tracked_events");
        var oldTable = await ScalarAsync<long>("SELECT 'events'::regclass::oid::bigint");

        var store = new PostgresRetentionStore(_dataSource!, NullLogger<PostgresRetentionStore>.Instance);
        await store.PrepareAsync(RetentionCutoffs.None, CancellationToken.None);
        var plainBefore = await PartitionedTablesAsync();

        await store.PrepareAsync(new RetentionCutoffs(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-7), null), CancellationToken.None);

        Assert.Equal(0, plainBefore);
        Assert.Equal(before, await ScalarAsync<string>(Digest));
        foreach (var table in new[] { "events", "event_properties", "campaign_events", "tracked_events" })
        {
            Assert.Equal("p", await ScalarAsync<string>($"SELECT relkind::text FROM pg_class WHERE relname = '{table}'"));
            // One partition per table, the old table itself (no default partition, none ahead of need).
            Assert.Equal(table + "_r0", await ScalarAsync<string>($"SELECT string_agg(inhrelid::regclass::text, ',') FROM pg_inherits WHERE inhparent = '{table}'::regclass"));
        }

        Assert.Equal(oldTable, await ScalarAsync<long>("SELECT 'events_r0'::regclass::oid::bigint"));
        foreach (var index in new[] { "events_pkey", "ix_events_name_id", "ix_events_event_time", "ix_events_user_id", "event_properties_pkey", "ix_event_properties_key_value_event", "ix_event_properties_key_num", "campaign_events_pkey", "ix_tracked_events_occurred_at" })
        {
            // The parent's index has the original name and the range-0 partition's existing index attached to it.
            Assert.Equal(1, await ScalarAsync<long>($"SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhparent WHERE c.relname = '{index}' AND c.relkind = 'I'"));
        }

        Assert.Equal(2, await ScalarAsync<long>("SELECT count(*) FROM pg_statistic_ext WHERE stxrelid = 'event_properties'::regclass"));
        Assert.Equal(5001, await ScalarAsync<long>(
            "INSERT INTO events (name, user_id, external_id, properties, created_at, event_time) VALUES ('new', 1, 'old-user', '[]', now(), now()) RETURNING id"));
        Assert.Equal(trackedBefore + 1, await ScalarAsync<long>(
            "INSERT INTO tracked_events (type, session_id, component_id, occurred_at) VALUES ('CLICK', 'n', 1, now()) RETURNING id"));
        await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(
            "INSERT INTO tracked_events (id, type, session_id, component_id, occurred_at) VALUES (1, 'CLICK', 'n', 1, now())"));
    }

    [Fact]
    public async Task Without_a_retention_setting_no_range_is_ever_added_and_with_one_a_range_starts_once_a_period_is_over()
    {
        await PostgresMigrations.MigrateAsync(_dataSource!, PostgresSchema.Scripts, CancellationToken.None);
        var store = new PostgresRetentionStore(_dataSource!, NullLogger<PostgresRetentionStore>.Instance);
        var now = DateTimeOffset.UtcNow;
        await ExecuteAsync("INSERT INTO users (external_id, user_attributes, created_at, updated_at) VALUES ('u', '{}', now(), now())");

        var kept = await store.ExpireAsync(RetentionCutoffs.None, now.AddYears(5), CancellationToken.None);
        var partitionedKept = await PartitionedTablesAsync();
        var withinPeriod = await store.ExpireAsync(new RetentionCutoffs(now.AddDays(-30), null, null) { PartitionPeriod = TimeSpan.FromDays(2) }, now.AddDays(1), CancellationToken.None);
        var periodOver = await store.ExpireAsync(new RetentionCutoffs(now.AddDays(-30), null, null) { PartitionPeriod = TimeSpan.FromDays(2) }, now.AddDays(2.5), CancellationToken.None);

        Assert.Equal(0, kept!.PartitionsCreated);
        Assert.Equal(0, partitionedKept);
        Assert.Equal(0, withinPeriod!.PartitionsCreated);
        Assert.Equal(3, periodOver!.PartitionsCreated);
        Assert.Equal("events_r0,events_r1", await ScalarAsync<string>("SELECT string_agg(inhrelid::regclass::text, ',' ORDER BY inhrelid::regclass::text) FROM pg_inherits WHERE inhparent = 'events'::regclass"));
        Assert.Equal(1L << 40, await ScalarAsync<long>(
            "INSERT INTO events (name, user_id, external_id, properties, created_at, event_time) VALUES ('new', 1, 'u', '[]', now(), now()) RETURNING id"));
        // Tracked events have no cutoff here: their table stays plain.
        Assert.Equal("r", await ScalarAsync<string>("SELECT relkind::text FROM pg_class WHERE relname = 'tracked_events'"));
        Assert.Equal(3, await PartitionedTablesAsync());
    }

    private Task<long> PartitionedTablesAsync() => ScalarAsync<long>(
        "SELECT count(*) FROM pg_class WHERE relname IN ('events', 'event_properties', 'campaign_events', 'tracked_events') AND relkind = 'p'");

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _dataSource!.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = _dataSource!.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
