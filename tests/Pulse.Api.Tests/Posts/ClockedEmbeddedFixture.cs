using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Posts;

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
