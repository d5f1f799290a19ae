using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Operations;

/// <summary>
/// The logging defaults set in code: ASP.NET Core at Warning, the per-request hosting diagnostics off (so no
/// Activity or logging scope is made for every request), and configuration still able to turn either back on.
/// </summary>
public sealed class LoggingDefaultsTests : IDisposable
{
    private const string HostingDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), TestEnvironment.Unique("pulse-logging"));

    public LoggingDefaultsTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public void Request_diagnostics_are_off_and_the_rest_of_AspNetCore_logs_warnings()
    {
        using var factory = CreateFactory();

        var loggers = factory.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger(HostingDiagnostics).IsEnabled(LogLevel.Critical));
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Warning));
        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("Pulse.Api").IsEnabled(LogLevel.Information));
    }

    [Fact]
    public void Configuration_overrides_the_defaults()
    {
        using var factory = CreateFactory(
            ($"Logging:LogLevel:{HostingDiagnostics}", "Information"),
            ("Logging:LogLevel:Microsoft.AspNetCore", "Debug"));

        var loggers = factory.Services.GetRequiredService<ILoggerFactory>();

        Assert.True(loggers.CreateLogger(HostingDiagnostics).IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Routing").IsEnabled(LogLevel.Debug));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private WebApplicationFactory<Program> CreateFactory(params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:Sqlite", $"Data Source={Path.Combine(_directory, "pulse.db")}");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });
}
