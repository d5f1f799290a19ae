using System.Globalization;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Core.Events;
using Pulse.Sqlite;

namespace Pulse.Api.Tests.Sqlite;

/// <summary>
/// The embedded store's writer: commits are synced to disk before a write returns (by the store's own WAL sync, or
/// by SQLite's synchronous=FULL where that is not available), and checkpoints keep the WAL from growing. The test
/// command runs on Linux, where the store syncs the WAL itself; these tests check that path.
/// </summary>
public sealed class SqliteDurabilityTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), TestEnvironment.Unique("pulse-sqlite-durability"));
    private SqliteDatabase _database = null!;
    private SqliteEventStore _events = null!;
    private long _userId;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _database = new SqliteDatabase($"Data Source={Path.Combine(_directory, "pulse.db")}");
        await SqliteMigrations.MigrateAsync(_database, SqliteSchema.Scripts, CancellationToken.None);
        _userId = (await new SqliteUserStore(_database).TryCreateAsync("durability", "{}", DateTimeOffset.UtcNow, CancellationToken.None))!.Id;
        _events = new SqliteEventStore(_database);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Every_write_returns_only_after_a_sync_that_covers_it()
    {
        for (var i = 0; i < 20; i++)
        {
            var before = _database.WalSyncPositions!.Value;
            await _events.AppendAsync([Event(i)], CancellationToken.None);
            var after = _database.WalSyncPositions!.Value;

            Assert.Equal(before.Written + 1, after.Written);
            Assert.True(after.Durable >= after.Written, $"write {i} returned with commits {after.Durable + 1}..{after.Written} not synced");
        }
    }

    [Fact]
    public async Task The_writer_leaves_the_sync_to_the_store_and_every_other_connection_syncs_in_its_commit()
    {
        // NORMAL (1) on the writer: its commits are synced by SqliteWalSync; FULL (2) on every other connection.
        var writer = await _database.WriteAsync((connection, transaction, ct) => ScalarAsync(connection, "PRAGMA synchronous", transaction), CancellationToken.None);
        var reader = await _database.ReadAsync((connection, ct) => ScalarAsync(connection, "PRAGMA synchronous"), CancellationToken.None);

        Assert.Equal("1", writer);
        Assert.Equal("2", reader);
    }

    [Fact]
    public async Task Checkpoints_in_the_background_let_the_wal_start_over()
    {
        // 100 commits of 100 events write about 20,000 WAL pages (80 MB) in all, back to back: with SQLite's
        // auto-checkpoint off on the writer, only the background checkpointer lets the WAL start over. The file keeps
        // its largest size (SQLite reuses it from the start), so that is what is measured. Small limits (a checkpoint
        // from 1 MB, writers held past 4 MB) so that several checkpoints fit in the test; measured on the 2-core
        // machine, idle or busy: the file reached 10-20 MB; without checkpoints it holds all 80. The bound leaves room for
        // the commits made while the checkpointer waits for a core (once measured here: 32 MB with the default limits,
        // which start at 16 MB, against a bound of 24).
        var path = Path.Combine(_directory, "capped.db");
        await using var database = new SqliteDatabase($"Data Source={path}", null, new SqliteCheckpointer.Limits(ThresholdFrames: 256, CapFrames: 1024));
        await SqliteMigrations.MigrateAsync(database, SqliteSchema.Scripts, CancellationToken.None);
        var userId = (await new SqliteUserStore(database).TryCreateAsync("durability", "{}", DateTimeOffset.UtcNow, CancellationToken.None))!.Id;
        var events = new SqliteEventStore(database);

        long largest = 0;
        for (var batch = 0; batch < 100; batch++)
        {
            await events.AppendAsync([.. Enumerable.Range(batch * 100, 100).Select(n => Event(n) with { UserId = userId })], CancellationToken.None);
            largest = Math.Max(largest, new FileInfo(path + "-wal").Length);
        }

        var written = await database.ReadAsync((connection, ct) => ScalarAsync(connection, "SELECT COUNT(*) FROM events"), CancellationToken.None);
        Assert.Equal("10000", written);
        Assert.True(largest < 40 << 20, $"the WAL grew to {largest >> 20} MB of the 80 MB written");
    }

    [Fact]
    public async Task Stopping_the_host_empties_the_wal_so_the_next_start_has_nothing_to_read_back()
    {
        await _events.AppendAsync([.. Enumerable.Range(0, 500).Select(Event)], CancellationToken.None);
        var wal = Path.Combine(_directory, "pulse.db-wal");
        Assert.True(new FileInfo(wal).Length > 0);

        await new SqliteWalTruncation(_database, Microsoft.Extensions.Logging.Abstractions.NullLogger<SqliteWalTruncation>.Instance)
            .StopAsync(CancellationToken.None);

        Assert.Equal(0, new FileInfo(wal).Length);
    }

    [Fact]
    public async Task A_host_stopped_twice_at_once_empties_the_wal_once_and_neither_stop_returns_before_it()
    {
        // WebApplicationFactory stops the host while the program's RunAsync stops it too: both stops run the hosted
        // services. The second must neither return before the WAL is emptied nor open the file after the first.
        await _events.AppendAsync([.. Enumerable.Range(0, 500).Select(Event)], CancellationToken.None);
        var wal = Path.Combine(_directory, "pulse.db-wal");
        var truncation = new SqliteWalTruncation(_database, Microsoft.Extensions.Logging.Abstractions.NullLogger<SqliteWalTruncation>.Instance);

        var first = truncation.StopAsync(CancellationToken.None);
        var second = truncation.StopAsync(CancellationToken.None);
        await second;
        Assert.Equal(0, new FileInfo(wal).Length);
        await first;

        await _database.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var before = Directory.GetLastWriteTimeUtc(_directory);
        await truncation.StopAsync(CancellationToken.None);
        Assert.Equal(before, Directory.GetLastWriteTimeUtc(_directory));
    }

    [Fact]
    public async Task A_second_disposal_does_not_open_the_file_again()
    {
        // The host disposes its services twice (DisposeAsync, then Dispose), and a fixture may delete the files
        // in between: the second disposal must not open the database again (which recreates its -wal and -shm).
        await _events.AppendAsync([Event(1)], CancellationToken.None);
        await _database.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var wal = Path.Combine(_directory, "pulse.db-wal");
        Assert.False(File.Exists(wal), "the last connection's close should have removed the WAL");
        var before = Directory.GetLastWriteTimeUtc(_directory);

        await _database.DisposeAsync();

        // Opening the database creates its -wal and -shm files (and closing the last connection removes them again),
        // which changes the directory.
        Assert.Equal(before, Directory.GetLastWriteTimeUtc(_directory));
    }

    private EventWrite Event(int n) => new(
        "durability",
        _userId,
        "durability",
        [new("n", n.ToString(CultureInfo.InvariantCulture)), new("value", (n * 7919 % 1000).ToString(CultureInfo.InvariantCulture)), new("tag", "t" + (n % 13))],
        null,
        DateTimeOffset.UtcNow);

    private static async Task<string> ScalarAsync(Microsoft.Data.Sqlite.SqliteConnection connection, string sql, Microsoft.Data.Sqlite.SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture)!;
    }
}
