using Npgsql;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Postgres;

namespace Pulse.Api.Tests.Retention;

/// <summary>Version 600 converts a populated database from before partitioning in place: every row and id kept, identities continue.</summary>
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
    public async Task A_populated_database_keeps_every_row_and_id_and_its_identities_continue()
    {
        await PostgresMigrations.MigrateAsync(_dataSource!, PostgresSchema.Scripts.Where(s => s.Version < 600), CancellationToken.None);
        await ExecuteAsync("""
            INSERT INTO users (external_id, user_attributes, created_at, updated_at) VALUES ('old-user', '{}', now(), now());
            INSERT INTO campaigns (name, properties, created_at) VALUES ('old-campaign', '[]', now());
            INSERT INTO events (name, user_id, external_id, properties, created_at, event_time, message, sent_at, time_clamped)
                SELECT 'old-' || (g % 7), 1, 'old-user', '[]', now() - g * interval '1 hour', now() - g * interval '1 hour',
                       CASE WHEN g % 3 = 0 THEN '{"m":1}'::json END, CASE WHEN g % 3 = 0 THEN now() END, g % 5 = 0
                FROM generate_series(1, 3000) AS g;
            -- far back (beyond the weeks made for old rows) and far ahead
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

        await PostgresMigrations.MigrateAsync(_dataSource!, PostgresSchema.Scripts, CancellationToken.None);

        Assert.Equal(before, await ScalarAsync<string>(Digest));
        Assert.Equal("p", await ScalarAsync<string>("SELECT relkind::text FROM pg_class WHERE relname = 'events'"));
        Assert.True(await ScalarAsync<long>("SELECT count(*) FROM pg_inherits WHERE inhparent = 'events'::regclass") >= 20, "weekly partitions for the old rows");
        Assert.Equal(0, await ScalarAsync<long>(
            "SELECT count(*) FROM event_properties p JOIN events e ON e.id = p.event_id WHERE p.event_time <> e.event_time"));
        Assert.Equal(2, await ScalarAsync<long>("SELECT count(*) FROM events_default"));
        foreach (var index in new[] { "ix_events_name_id", "ix_events_event_time", "ix_event_properties_key_value_event", "ix_event_properties_key_num", "ix_tracked_events_occurred_at" })
        {
            Assert.Equal(1, await ScalarAsync<long>($"SELECT count(*) FROM pg_class WHERE relname = '{index}' AND relkind = 'I'"));
        }

        Assert.Equal(5001, await ScalarAsync<long>(
            "INSERT INTO events (name, user_id, external_id, properties, created_at, event_time) VALUES ('new', 1, 'old-user', '[]', now(), now()) RETURNING id"));
        Assert.Equal(trackedBefore + 1, await ScalarAsync<long>(
            "INSERT INTO tracked_events (type, session_id, component_id, occurred_at) VALUES ('CLICK', 'n', 1, now()) RETURNING id"));
    }

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
