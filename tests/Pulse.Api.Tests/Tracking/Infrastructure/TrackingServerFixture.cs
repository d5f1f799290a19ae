using System.Data.Common;
using Npgsql;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Tracking.Infrastructure;

/// <summary>PostgreSQL (a database of its own) and standalone Redis (a key prefix of its own).</summary>
public class TrackingServerFixture : TrackingFixture
{
    private string? _database;

    public override string Mode => "server";

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
            ["Redis:KeyPrefix"] = TestEnvironment.Unique("trk") + ":",
        };
    }

    protected override DbConnection OpenConnection() => new NpgsqlConnection(PostgresConnectionString);

    protected override object Minute(DateTimeOffset time) => time;

    protected override async Task CleanUpAsync()
    {
        if (_database is not null)
        {
            await TestDatabases.DropAsync(_database);
        }
    }
}
