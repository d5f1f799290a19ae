using Microsoft.Data.Sqlite;
using Npgsql;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Core.Events;
using Pulse.Core.Tracking;
using Pulse.Postgres;
using Pulse.Sqlite;

namespace Pulse.Api.Tests.Dashboard;

/// <summary>
/// The schema version that adds <c>event_minutes</c> fills it from the events stored before it: a database is migrated to
/// the version before, events are written with the old schema, and the rest of the migrations run. Sqlite's release
/// fixture (ReleaseUpgradeTests) checks the same on a file written by an old release.
/// </summary>
public sealed class EventMinutesMigrationTests
{
    // 1969-12-31T23:59:30Z (before the epoch: its minute starts at -60,000 ms), two in 2026-11-28T23:29Z, one in 23:30Z.
    private static readonly DateTimeOffset[] Times =
    [
        new(1969, 12, 31, 23, 59, 30, TimeSpan.Zero),
        new(2026, 11, 28, 23, 29, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 11, 28, 23, 29, 59, TimeSpan.Zero).AddMilliseconds(999),
        new(2026, 11, 28, 23, 30, 0, TimeSpan.Zero),
    ];

    [Fact]
    public async Task Embedded_the_migration_counts_the_events_already_stored_per_minute_of_their_time()
    {
        var directory = Path.Combine(Path.GetTempPath(), TestEnvironment.Unique("pulse-minutes-migration"));
        Directory.CreateDirectory(directory);
        var database = new SqliteDatabase($"Data Source={Path.Combine(directory, "pulse.db")}");
        try
        {
            await SqliteMigrations.MigrateAsync(database, SqliteSchema.Scripts.Where(s => s.Version < 4), CancellationToken.None);
            await database.WriteAsync(async (connection, transaction, ct) =>
            {
                await using var user = connection.CreateCommand();
                user.Transaction = transaction;
                user.CommandText = "INSERT INTO users (id, external_id, user_attributes, created_at, updated_at) VALUES (1, 'old', '{}', 0, 0)";
                await user.ExecuteNonQueryAsync(ct);
                foreach (var time in Times)
                {
                    await using var insert = connection.CreateCommand();
                    insert.Transaction = transaction;
                    insert.CommandText = "INSERT INTO events (name, user_id, external_id, properties, created_at, event_time) VALUES ('old', 1, 'old', '[]', $t, $t)";
                    insert.Parameters.AddWithValue("$t", time.ToUnixTimeMilliseconds());
                    await insert.ExecuteNonQueryAsync(ct);
                }

                return true;
            }, CancellationToken.None);

            await SqliteMigrations.MigrateAsync(database, SqliteSchema.Scripts, CancellationToken.None);

            await AssertCountedAsync(new SqliteEventCounts(database));
        }
        finally
        {
            await database.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Server_the_migration_counts_the_events_already_stored_per_minute_of_their_time()
    {
        var name = await TestDatabases.CreateAsync();
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(TestDatabases.ConnectionString(name));
            await PostgresMigrations.MigrateAsync(dataSource, PostgresSchema.Scripts.Where(s => s.Version < 8), CancellationToken.None);
            foreach (var time in Times)
            {
                await using var insert = dataSource.CreateCommand(
                    "INSERT INTO events (name, user_id, external_id, properties, created_at, event_time) VALUES ('old', 1, 'old', '[]', $1, $1)");
                insert.Parameters.Add(new NpgsqlParameter { Value = time });
                await insert.ExecuteNonQueryAsync();
            }

            await PostgresMigrations.MigrateAsync(dataSource, PostgresSchema.Scripts, CancellationToken.None);

            await AssertCountedAsync(new PostgresEventCounts(new PostgresSearchDataSource(dataSource)));
        }
        finally
        {
            await TestDatabases.DropAsync(name);
        }
    }

    private static async Task AssertCountedAsync(IEventCounts counts)
    {
        var before1970 = new MinuteWindow(DateTimeOffset.UnixEpoch - TimeSpan.FromMinutes(2), DateTimeOffset.UnixEpoch + TimeSpan.FromMinutes(1));
        var fixtureMinutes = new MinuteWindow(new(2026, 11, 28, 23, 28, 0, TimeSpan.Zero), new(2026, 11, 28, 23, 32, 0, TimeSpan.Zero));
        Assert.Equal([0, 1, 0], await counts.PerMinuteAsync(before1970, CancellationToken.None));
        Assert.Equal([0, 2, 1, 0], await counts.PerMinuteAsync(fixtureMinutes, CancellationToken.None));
    }
}
