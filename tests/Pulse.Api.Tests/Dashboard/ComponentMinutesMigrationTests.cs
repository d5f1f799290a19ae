using Microsoft.Data.Sqlite;
using Npgsql;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Core.Tracking;
using Pulse.Postgres;
using Pulse.Postgres.Tracking;
using Pulse.Sqlite;
using Pulse.Sqlite.Tracking;

namespace Pulse.Api.Tests.Dashboard;

/// <summary>
/// The schema version that adds <c>stat_component_minutes</c> (SQLite 102, PostgreSQL 103) fills it from the members'
/// rows stored before it: a database is migrated to the version before, counter rows are written with the old schema,
/// and the rest of the migrations run. A component's series then reads the new table.
/// </summary>
public sealed class ComponentMinutesMigrationTests
{
    private static readonly DateTimeOffset First = new(2026, 11, 28, 23, 29, 0, TimeSpan.Zero);

    // (type, component, post, keyword, minute offset, count): two keywords and two posts of component 7, one keyword of 8.
    private static readonly (string Type, long Component, long Post, string Keyword, int Minute, long Count)[] Rows =
    [
        ("SEARCH", 7, 0, "고양이", 0, 2),
        ("SEARCH", 7, 0, "coffee", 0, 3),
        ("SEARCH", 7, 0, "고양이", 2, 4),
        ("SEARCH", 8, 0, "고양이", 0, 50),
        ("LIKE", 7, 1, "", 0, 1),
        ("LIKE", 7, 2, "", 0, 0),
        ("LIKE", 7, 2, "", 1, 6),
    ];

    [Fact]
    public async Task Embedded_the_migration_adds_up_the_stored_members_per_component_and_minute()
    {
        var directory = Path.Combine(Path.GetTempPath(), TestEnvironment.Unique("pulse-component-migration"));
        Directory.CreateDirectory(directory);
        var database = new SqliteDatabase($"Data Source={Path.Combine(directory, "pulse.db")}");
        try
        {
            await SqliteMigrations.MigrateAsync(database, SqliteSchema.Scripts.Where(s => s.Version < 102), CancellationToken.None);
            await database.WriteAsync(async (connection, transaction, ct) =>
            {
                foreach (var row in Rows)
                {
                    await using var insert = connection.CreateCommand();
                    insert.Transaction = transaction;
                    insert.CommandText = "INSERT INTO stat_minutes (type, component_id, post_id, keyword, minute, count) VALUES ($1, $2, $3, $4, $5, $6)";
                    insert.Parameters.AddWithValue("$1", row.Type);
                    insert.Parameters.AddWithValue("$2", row.Component);
                    insert.Parameters.AddWithValue("$3", row.Post);
                    insert.Parameters.AddWithValue("$4", row.Keyword);
                    insert.Parameters.AddWithValue("$5", First.AddMinutes(row.Minute).ToUnixTimeMilliseconds());
                    insert.Parameters.AddWithValue("$6", row.Count);
                    await insert.ExecuteNonQueryAsync(ct);
                }

                return true;
            }, CancellationToken.None);

            await SqliteMigrations.MigrateAsync(database, SqliteSchema.Scripts, CancellationToken.None);

            await AssertAddedUpAsync(new SqliteStatisticsStore(database));
        }
        finally
        {
            await database.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Server_the_migration_adds_up_the_stored_members_per_component_and_minute()
    {
        var name = await TestDatabases.CreateAsync();
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(TestDatabases.ConnectionString(name));
            await PostgresMigrations.MigrateAsync(dataSource, PostgresSchema.Scripts.Where(s => s.Version < 103), CancellationToken.None);
            foreach (var row in Rows)
            {
                await using var insert = dataSource.CreateCommand(
                    "INSERT INTO stat_minutes (type, component_id, post_id, keyword, minute, count) VALUES ($1, $2, $3, $4, $5, $6)");
                foreach (var value in new object[] { row.Type, row.Component, row.Post, row.Keyword, First.AddMinutes(row.Minute), row.Count })
                {
                    insert.Parameters.Add(new NpgsqlParameter { Value = value });
                }

                await insert.ExecuteNonQueryAsync();
            }

            await PostgresMigrations.MigrateAsync(dataSource, PostgresSchema.Scripts, CancellationToken.None);

            await AssertAddedUpAsync(new PostgresStatisticsStore(dataSource));
        }
        finally
        {
            await TestDatabases.DropAsync(name);
        }
    }

    private static async Task AssertAddedUpAsync(IStatisticsStore store)
    {
        var window = new MinuteWindow(First.AddMinutes(-1), First.AddMinutes(4));
        var noLive = new MinuteWindow(window.From, window.From);

        async Task<long[]> SeriesAsync(TrackedEventType type, CounterFilter filter)
        {
            var stored = await store.SeriesAsync(type, filter, window, noLive, CancellationToken.None);
            return [.. CounterMinute.Range(window.From, window.To).Select(minute => stored.Counts.GetValueOrDefault(minute))];
        }

        Assert.Equal(new long[] { 0, 5, 0, 4, 0 }, await SeriesAsync(TrackedEventType.Search, new CounterFilter(7)));
        Assert.Equal(new long[] { 0, 50, 0, 0, 0 }, await SeriesAsync(TrackedEventType.Search, new CounterFilter(8)));
        Assert.Equal(new long[] { 0, 2, 0, 4, 0 }, await SeriesAsync(TrackedEventType.Search, new CounterFilter(7, Keyword: "고양이")));
        Assert.Equal(new long[] { 0, 1, 6, 0, 0 }, await SeriesAsync(TrackedEventType.Like, new CounterFilter(7)));
    }
}
