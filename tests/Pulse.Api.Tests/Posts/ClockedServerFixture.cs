using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Posts;

public class ClockedServerFixture : ClockedFixture
{
    private string? _database;

    protected virtual string RedisConfiguration => TestEnvironment.Redis;

    protected override async Task<Dictionary<string, string?>> PrepareAsync()
    {
        _database = await TestDatabases.CreateAsync();
        return new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = TestDatabases.ConnectionString(_database),
            ["ConnectionStrings:Redis"] = RedisConfiguration,
            ["Redis:KeyPrefix"] = TestEnvironment.Unique("t") + ":",
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
