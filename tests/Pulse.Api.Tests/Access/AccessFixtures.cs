using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Access;

/// <summary>What every access fixture adds: a bootstrap admin key (so keys are required from the start) and a log capture.</summary>
public interface IAccessFixture
{
    /// <summary>The bootstrap admin key, accepted while configured and never stored.</summary>
    public const string BootstrapKey = "test-bootstrap-admin-key-0123456789abcdef";

    PulseFixture Fixture { get; }

    CapturedLogs Logs { get; }
}

public sealed class AccessEmbeddedFixture : EmbeddedFixture, IAccessFixture
{
    public PulseFixture Fixture => this;

    public CapturedLogs Logs { get; } = new();

    protected override async Task<Dictionary<string, string?>> PrepareAsync() => CapturedLogs.WithBootstrapKey(await base.PrepareAsync());

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(Logs);
}

public sealed class AccessServerFixture : ServerFixture, IAccessFixture
{
    public PulseFixture Fixture => this;

    public CapturedLogs Logs { get; } = new();

    protected override async Task<Dictionary<string, string?>> PrepareAsync() => CapturedLogs.WithBootstrapKey(await base.PrepareAsync());

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(Logs);
}

/// <summary>Every log line a host writes, at every level, with its exception, to search for secrets.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public static Dictionary<string, string?> WithBootstrapKey(Dictionary<string, string?> settings)
    {
        settings["Auth:BootstrapAdminKey"] = IAccessFixture.BootstrapKey;
        // Everything is captured (ASP.NET Core's authentication logs included); the console shows warnings only.
        settings["Logging:LogLevel:Default"] = "Trace";
        settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
        settings["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Trace";
        settings["Logging:Console:LogLevel:Default"] = "Warning";
        return settings;
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
