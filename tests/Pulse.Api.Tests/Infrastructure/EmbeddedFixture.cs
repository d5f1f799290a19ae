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
