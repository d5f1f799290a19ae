using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using Pulse.Api.Access;
using Pulse.Core.Access;
using Pulse.Core.Caching;
using Pulse.Core.Pipeline;
using Pulse.Core.Posts;

namespace Pulse.Api.Operations;

/// <summary>
/// <c>/metrics</c> in Prometheus' text format, through OpenTelemetry's exporter: HTTP requests by route and status
/// (ASP.NET Core's own meters), the write pipelines (<see cref="GroupCommitQueue{TItem,TResult}"/>: queue depth,
/// commit time, events per commit, events ingested by kind), cache hits and misses (<see cref="CacheMetrics"/>,
/// <see cref="MeteredPostSearchStore"/>), whether the database and Redis answer (<see cref="DependencyAvailability"/>), what retention removed (<see cref="Retention.RetentionRunner"/>)
/// and the .NET runtime (GC, memory, thread pool: the runtime's own "System.Runtime" meter). It needs a read key once
/// keys exist (Prometheus sends it as a bearer token: deploy/prometheus/prometheus.yml). <c>Metrics:Enabled=false</c>
/// turns it off, and with it the recording.
/// </summary>
internal static class MetricsRegistration
{
    public const string Path = "/metrics";

    private static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Runtime",
        GroupCommitQueue<object, object>.MeterName,
        CacheMetrics.MeterName,
        MeteredPostSearchStore.MeterName,
        DependencyAvailability.MeterName,
        Retention.RetentionRunner.MeterName,
    ];

    public static bool Enabled(IConfiguration configuration) => configuration.GetValue("Metrics:Enabled", true);

    public static void AddPulseMetrics(this WebApplicationBuilder builder)
    {
        builder.AddDependencyAvailability();
        if (!Enabled(builder.Configuration))
        {
            return;
        }

        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(Meters)
            // Per request, ASP.NET Core records the request's duration and moves an up-down counter of active requests
            // twice; the latter is dropped (Kestrel's queued and active connections tell the same), and the duration
            // keeps the tags the dashboard uses, which makes each recording cheaper (measured with
            // bench/experiments/keys-ab.py, BENCH_AB=metrics: docs/performance.md).
            .AddView("http.server.active_requests", MetricStreamConfiguration.Drop)
            .AddView("http.server.request.duration", new ExplicitBucketHistogramConfiguration
            {
                Boundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
                TagKeys = ["http.request.method", "http.response.status_code", "http.route"],
            })
            .AddPrometheusExporter());
    }

    /// <summary>The readiness checks in the background, every 10 s, for /metrics and the dashboard (either may be on alone).</summary>
    public static void AddDependencyAvailability(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DependencyAvailability>();
        builder.Services.AddSingleton<IHealthCheckPublisher>(sp => sp.GetRequiredService<DependencyAvailability>());
        builder.Services.Configure<HealthCheckPublisherOptions>(options =>
        {
            options.Delay = TimeSpan.FromSeconds(1);
            options.Period = TimeSpan.FromSeconds(10);
            options.Predicate = check => check.Tags.Contains("ready");
        });
    }

    public static void MapPulseMetrics(this WebApplication app)
    {
        if (Enabled(app.Configuration))
        {
            app.MapPrometheusScrapingEndpoint(Path).RequireScope(ApiScopes.Read).WithTags("Operations");
        }
    }
}

/// <summary>
/// <c>pulse.dependency.up</c> (1 or 0, tagged <c>dependency</c>: sqlite, postgres, redis): the readiness checks,
/// run every 10 s in the background by ASP.NET Core's health-check publisher, so a scrape never waits for a database.
/// </summary>
internal sealed class DependencyAvailability : IHealthCheckPublisher, IDisposable
{
    public const string MeterName = "Pulse.Health";

    private readonly Meter _meter = new(MeterName);
    private volatile IReadOnlyList<Measurement<int>> _last = [];
    private volatile DependencySnapshot? _snapshot;

    public DependencyAvailability() =>
        _meter.CreateObservableGauge("pulse.dependency.up", () => _last, "1", "1 when the dependency answered its last readiness check (every 10 s), else 0");

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        _last = [.. report.Entries.Select(entry =>
            new Measurement<int>(entry.Value.Status == HealthStatus.Healthy ? 1 : 0, new KeyValuePair<string, object?>("dependency", entry.Key)))];
        _snapshot = new DependencySnapshot(DateTimeOffset.UtcNow, [.. report.Entries.Select(entry => new DependencyState(entry.Key, entry.Value.Status == HealthStatus.Healthy))]);
        return Task.CompletedTask;
    }

    /// <summary>The last readiness checks' outcome; null until the first run (1 s after start-up).</summary>
    public DependencySnapshot? Last => _snapshot;

    public void Dispose() => _meter.Dispose();
}

/// <summary>When the readiness checks last ran and whether each dependency (sqlite, postgres, redis) answered.</summary>
internal sealed record DependencySnapshot(DateTimeOffset CheckedAt, IReadOnlyList<DependencyState> Dependencies);

internal sealed record DependencyState(string Name, bool Up);
