namespace Pulse.Api.Tests.Infrastructure;

/// <summary>
/// The storage of a Pulse started as a process (<see cref="PulseProcess"/>), as its environment variables: its own
/// SQLite file in a temporary directory, or its own PostgreSQL database and Redis key prefix. Removed by <see cref="CleanUpAsync"/>.
/// </summary>
public abstract class ProcessStorage
{
    public abstract Task<Dictionary<string, string>> PrepareAsync();

    public abstract Task CleanUpAsync();

    public static ProcessStorage Embedded(string name) => new EmbeddedStorage(name);

    public static ProcessStorage Server(string name) => new ServerStorage(name);

    private sealed class EmbeddedStorage(string name) : ProcessStorage
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), TestEnvironment.Unique("pulse-" + name));

        public override Task<Dictionary<string, string>> PrepareAsync()
        {
            Directory.CreateDirectory(_directory);
            return Task.FromResult(new Dictionary<string, string> { ["ConnectionStrings__Sqlite"] = $"Data Source={Path.Combine(_directory, "pulse.db")}" });
        }

        public override Task CleanUpAsync()
        {
            if (Directory.Exists(_directory))
            {
                Directory.Delete(_directory, recursive: true);
            }

            return Task.CompletedTask;
        }
    }

    private sealed class ServerStorage(string name) : ProcessStorage
    {
        private string? _database;

        public override async Task<Dictionary<string, string>> PrepareAsync()
        {
            _database = await TestDatabases.CreateAsync();
            return new Dictionary<string, string>
            {
                ["ConnectionStrings__Postgres"] = TestDatabases.ConnectionString(_database),
                ["ConnectionStrings__Redis"] = TestEnvironment.Redis,
                ["Redis__KeyPrefix"] = TestEnvironment.Unique(name) + ":",
            };
        }

        public override async Task CleanUpAsync()
        {
            if (_database is not null)
            {
                await TestDatabases.DropAsync(_database);
            }
        }
    }
}
