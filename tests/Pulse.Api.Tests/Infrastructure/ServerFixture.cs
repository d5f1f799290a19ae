namespace Pulse.Api.Tests.Infrastructure;

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
