using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Sqlite;

namespace Pulse.Api.Tests.Sqlite;

/// <summary>What every connection of Pulse's embedded store gets: the bundled SQLite and the durability settings.</summary>
public sealed class SqliteDatabaseTests(EmbeddedFixture fixture) : IClassFixture<EmbeddedFixture>
{
    private readonly SqliteDatabase _database = fixture.Services.GetRequiredService<SqliteDatabase>();

    [Fact]
    public async Task The_bundled_sqlite_is_3_45_or_newer()
    {
        var version = Version.Parse(await ScalarAsync("SELECT sqlite_version()"));

        Assert.True(version >= new Version(3, 45), $"SQLite {version} is older than 3.45.");
    }

    [Fact]
    public async Task Commits_are_flushed_in_wal_mode_with_foreign_keys_enforced()
    {
        // synchronous=FULL (2) in WAL mode is what lets a 2xx mean committed.
        Assert.Equal("wal", await ScalarAsync("PRAGMA journal_mode"));
        Assert.Equal("2", await ScalarAsync("PRAGMA synchronous"));
        Assert.Equal("1", await ScalarAsync("PRAGMA foreign_keys"));
    }

    private Task<string> ScalarAsync(string sql) =>
        _database.ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToString(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture)!;
        }, CancellationToken.None);
}
