using System.Globalization;
using Microsoft.Data.Sqlite;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Core.Events;
using Pulse.Core.Query;
using Pulse.Sqlite;

namespace Pulse.Api.Tests.Sqlite;

/// <summary>
/// The embedded store's reader connections: opened once and reused, each read seeing every write that returned before
/// it, unable to write, and all closed by disposal, which opens nothing afterwards.
/// </summary>
public sealed class SqliteReadersTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), TestEnvironment.Unique("pulse-sqlite-readers"));
    private SqliteDatabase _database = null!;
    private SqliteEventStore _events = null!;
    private long _userId;

    private string Wal => Path.Combine(_directory, "pulse.db-wal");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _database = new SqliteDatabase($"Data Source={Path.Combine(_directory, "pulse.db")}");
        await SqliteMigrations.MigrateAsync(_database, SqliteSchema.Scripts, CancellationToken.None);
        _userId = (await new SqliteUserStore(_database).TryCreateAsync("readers", "{}", DateTimeOffset.UtcNow, CancellationToken.None))!.Id;
        _events = new SqliteEventStore(_database);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Reads_one_after_another_reuse_one_connection()
    {
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal("0", await ScalarAsync("SELECT COUNT(*) FROM events"));
        }

        Assert.Equal(1, _database.Readers.Opened);
        Assert.Equal(1, _database.Readers.IdleCount);
    }

    [Fact]
    public async Task Reads_at_once_get_a_reader_each_and_at_most_the_idle_limit_are_kept()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        var reads = Enumerable.Range(0, SqliteReaders.MaxIdle + 2).Select(_ => _database.ReadAsync(async (connection, ct) =>
        {
            Interlocked.Increment(ref started);
            await release.Task;
            return connection;
        }, CancellationToken.None)).ToList();
        await Eventually.HoldsAsync(() => Volatile.Read(ref started) == reads.Count, "every read inside its callback at once");
        release.SetResult();
        var connections = await Task.WhenAll(reads);

        Assert.Equal(reads.Count, connections.Distinct().Count());
        Assert.Equal(reads.Count, _database.Readers.Opened);
        Assert.Equal(SqliteReaders.MaxIdle, _database.Readers.IdleCount);
    }

    [Fact]
    public async Task A_write_that_returned_is_found_by_the_next_read_on_a_kept_reader()
    {
        for (var i = 0; i < 20; i++)
        {
            await _events.AppendAsync([Event(i)], CancellationToken.None);

            // The same reader and the same compiled statements every time: each read still sees the last commit.
            Assert.Equal((i + 1).ToString(CultureInfo.InvariantCulture), await ScalarAsync("SELECT COUNT(*) FROM events"));
            var found = await _events.SearchAsync(Query($"n&{i}&=&end"), CancellationToken.None);
            Assert.Equal(["n=" + i], found.Select(e => e.Properties[0].Key + "=" + e.Properties[0].Value));
            var tagged = await _events.SearchAsync(Query($"tag&t-{i}&=&end"), CancellationToken.None);
            Assert.Single(tagged);
        }

        Assert.Equal(1, _database.Readers.Opened);
    }

    [Fact]
    public async Task A_search_keeps_its_statements_compiled_on_the_reader()
    {
        await _events.AppendAsync([Event(1), Event(2)], CancellationToken.None);
        await _events.SearchAsync(Query("tag&t-1&=&end"), CancellationToken.None);
        var kept = await _database.ReadPreparedAsync((reader, ct) => Task.FromResult(reader.StatementCount), CancellationToken.None);

        // The same shape with other values: no statement added. The probe and the search statement are kept.
        await _events.SearchAsync(Query("tag&t-2&=&end"), CancellationToken.None);
        var after = await _database.ReadPreparedAsync((reader, ct) => Task.FromResult(reader.StatementCount), CancellationToken.None);

        Assert.True(kept >= 2, $"{kept} statements kept after a search");
        Assert.Equal(kept, after);
    }

    [Fact]
    public async Task A_statement_is_the_same_command_for_the_same_text_and_the_cache_is_bounded()
    {
        var (first, second) = await _database.ReadPreparedAsync(
            (reader, ct) => Task.FromResult((reader.Statement("SELECT 1"), reader.Statement("SELECT 1"))), CancellationToken.None);
        Assert.Same(first, second);

        var count = await _database.ReadPreparedAsync((reader, ct) =>
        {
            for (var i = 0; i <= SqliteReader.MaxStatements; i++)
            {
                reader.Statement("SELECT " + i.ToString(CultureInfo.InvariantCulture));
            }

            return Task.FromResult(reader.StatementCount);
        }, CancellationToken.None);
        Assert.True(count <= SqliteReader.MaxStatements, $"{count} statements kept");
    }

    [Fact]
    public async Task A_read_that_leaves_its_statement_open_does_not_lend_its_snapshot_to_the_next()
    {
        // The reader of this read is never disposed: its statement keeps a read transaction (a snapshot) open. The
        // connection must not be lent again, or the next read would not see the write below.
        var leaked = await _database.ReadAsync(async (connection, ct) =>
        {
            var command = connection.CreateCommand();
            command.CommandText = "SELECT id FROM users";
            var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return reader;
        }, CancellationToken.None);

        await _events.AppendAsync([Event(7)], CancellationToken.None);

        Assert.Equal("1", await ScalarAsync("SELECT COUNT(*) FROM events"));
        Assert.Equal(2, _database.Readers.Opened);
        GC.KeepAlive(leaked);
    }

    [Fact]
    public async Task A_reader_cannot_write()
    {
        var error = await Assert.ThrowsAsync<SqliteException>(() => ScalarAsync(
            $"INSERT INTO events (name, user_id, external_id, properties, created_at) VALUES ('x', {_userId}, 'x', '[]', 0)"));

        Assert.Equal(8, error.SqliteErrorCode); // SQLITE_READONLY
        Assert.Equal("0", await ScalarAsync("SELECT COUNT(*) FROM events"));
    }

    [Fact]
    public async Task Disposal_closes_every_reader_and_a_read_after_it_opens_nothing()
    {
        await _events.AppendAsync([Event(1)], CancellationToken.None);
        await Reads_at_once_get_a_reader_each_and_at_most_the_idle_limit_are_kept();

        await _database.DisposeAsync();
        SqliteConnection.ClearAllPools(); // the migrations' connection

        // The last connection to close removes the WAL: a reader left open would keep it.
        Assert.False(File.Exists(Wal), "a connection was still open after disposal");
        var before = Directory.GetLastWriteTimeUtc(_directory);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => ScalarAsync("SELECT 1"));
        Assert.Equal(before, Directory.GetLastWriteTimeUtc(_directory));
    }

    [Fact]
    public async Task Disposal_waits_for_a_read_in_flight_and_closes_its_reader()
    {
        await _events.AppendAsync([Event(1)], CancellationToken.None);
        var inside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var read = _database.ReadAsync(async (connection, ct) =>
        {
            inside.SetResult();
            await release.Task;
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM events";
            return (long)(await command.ExecuteScalarAsync(ct))!;
        }, CancellationToken.None);
        await inside.Task;

        var disposal = _database.DisposeAsync().AsTask();
        await Task.Delay(100);
        Assert.False(disposal.IsCompleted, "disposal returned while a read was using its connection");

        release.SetResult();
        Assert.Equal(1, await read);
        await disposal;
        SqliteConnection.ClearAllPools();
        Assert.False(File.Exists(Wal), "the reader of the read in flight was not closed");
    }

    private static EventQuery Query(string where) => new("readers", WhereParser.Parse(where), null, null, null, 100, false);

    private EventWrite Event(int n) => new(
        "readers",
        _userId,
        "readers",
        [new("n", n.ToString(CultureInfo.InvariantCulture)), new("tag", "t-" + n.ToString(CultureInfo.InvariantCulture))],
        null,
        DateTimeOffset.UtcNow);

    private Task<string> ScalarAsync(string sql) =>
        _database.ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToString(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture)!;
        }, CancellationToken.None);
}
