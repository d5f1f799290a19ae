using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Posts;

/// <summary>
/// A host whose <see cref="TimeProvider"/> is a <see cref="FakeTimeProvider"/> starting now (whole milliseconds, as
/// Pulse stores them), so tests can jump past TTLs and time windows instead of sleeping. The clock stands still
/// until a test advances it, timestamps included: elapsed times the host measures with it (the search cache's lock
/// wait and recompute time) stay zero, so a search never gives up on someone else's fill lock and XFetch never
/// refreshes early. Nothing in Pulse makes timers from it. Each fixture owns its data, like the shared fixtures.
/// </summary>
public abstract class ClockedFixture : IAsyncLifetime
{
    private PostsHost? _host;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

    public HttpClient Client => _host!.Client;

    public IServiceProvider Services => _host!.Services;

    public async Task InitializeAsync()
    {
        var settings = await PrepareAsync();
        _host = new PostsHost(settings, services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>Also runs after a failed <see cref="InitializeAsync"/>, so whatever was created is removed.</summary>
    public async Task DisposeAsync()
    {
        try
        {
            if (_host is not null)
            {
                await _host.DisposeAsync();
            }
        }
        finally
        {
            await CleanUpAsync();
        }
    }

    protected abstract Task<Dictionary<string, string?>> PrepareAsync();

    protected abstract Task CleanUpAsync();
}

public sealed class ClockedEmbeddedFixture : ClockedFixture
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), TestEnvironment.Unique("pulse-clocked"));

    protected override Task<Dictionary<string, string?>> PrepareAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.FromResult(new Dictionary<string, string?> { ["ConnectionStrings:Sqlite"] = $"Data Source={Path.Combine(_directory, "pulse.db")}" });
    }

    protected override Task CleanUpAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}

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

public sealed class ClockedClusterFixture : ClockedServerFixture
{
    protected override string RedisConfiguration => TestEnvironment.RedisCluster;
}
