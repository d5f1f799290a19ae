using Npgsql;

namespace Pulse.Api.Tests.Infrastructure;

public class EmbeddedFixture : PulseFixture
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), TestEnvironment.Unique("pulse-embedded"));

    public override string Mode => "embedded";

    protected override Task<Dictionary<string, string?>> PrepareAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.FromResult(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Sqlite"] = $"Data Source={Path.Combine(_directory, "pulse.db")}",
        });
    }

    protected override Task CleanUpAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>PostgreSQL (a database of its own) and Redis (a key prefix of its own).</summary>
public class ServerFixture : PulseFixture
{
    private string? _database;

    public override string Mode => "server";

    public string RedisKeyPrefix { get; } = TestEnvironment.Unique("t") + ":";

    public string PostgresConnectionString { get; private set; } = string.Empty;

    protected virtual string RedisConfiguration => TestEnvironment.Redis;

    protected override async Task<Dictionary<string, string?>> PrepareAsync()
    {
        _database = await TestDatabases.CreateAsync();
        PostgresConnectionString = TestDatabases.ConnectionString(_database);
        return new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = PostgresConnectionString,
            ["ConnectionStrings:Redis"] = RedisConfiguration,
            ["Redis:KeyPrefix"] = RedisKeyPrefix,
        };
    }

    protected override async Task CleanUpAsync()
    {
        if (_database is not null)
        {
            await TestDatabases.DropAsync(_database);
        }
    }
}

public sealed class ClusterFixture : ServerFixture
{
    public override string Mode => "cluster";

    protected override string RedisConfiguration => TestEnvironment.RedisCluster;
}

public static class TestDatabases
{
    public static async Task<string> CreateAsync()
    {
        var name = "pulse_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(TestEnvironment.Postgres);
        await connection.OpenAsync();
        // CREATE DATABASE takes no parameters; the name is generated here from hex digits only.
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return name;
    }

    public static string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(TestEnvironment.Postgres) { Database = database }.ConnectionString;

    public static async Task DropAsync(string database)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(TestEnvironment.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
