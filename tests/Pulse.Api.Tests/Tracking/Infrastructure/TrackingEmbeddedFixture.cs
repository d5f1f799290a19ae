using System.Data.Common;
using Microsoft.Data.Sqlite;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Tracking.Infrastructure;

public sealed class TrackingEmbeddedFixture : TrackingFixture
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), TestEnvironment.Unique("pulse-tracking"));

    public override string Mode => "embedded";

    private string DatabasePath => Path.Combine(_directory, "pulse.db");

    protected override Task<Dictionary<string, string?>> PrepareAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.FromResult(new Dictionary<string, string?> { ["ConnectionStrings:Sqlite"] = $"Data Source={DatabasePath}" });
    }

    protected override DbConnection OpenConnection() => new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly");

    protected override object Minute(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    protected override Task CleanUpAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
