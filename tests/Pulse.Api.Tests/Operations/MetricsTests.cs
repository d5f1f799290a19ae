using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pulse.Api.Tests.Crm;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Operations;

/// <summary>
/// /metrics in Prometheus' text format, and the Grafana dashboard in deploy/ asking only for what it serves, on a real
/// Pulse process: meters are process-wide, and OpenTelemetry drops an instrument's stream once a same-named instrument
/// of an earlier host in the process is disposed, so hosts sharing a test process would not see their own.
/// </summary>
public abstract partial class MetricsTests : IAsyncLifetime
{
    private PulseProcess? _pulse;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _pulse = await PulseProcess.StartAsync(await PrepareAsync());
        _client = new HttpClient { BaseAddress = _pulse.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        if (_pulse is not null)
        {
            await _pulse.DisposeAsync();
        }

        await CleanUpAsync();
    }

    /// <summary>The process's storage settings, as environment variables.</summary>
    protected abstract Task<Dictionary<string, string>> PrepareAsync();

    protected abstract Task CleanUpAsync();

    [Fact]
    public async Task Metrics_count_ingested_events_by_kind_and_requests_by_route_and_status()
    {
        var user = "metrics-" + Guid.NewGuid().ToString("N");
        await _client.CreateUserAsync(user);
        for (var i = 0; i < 3; i++)
        {
            await _client.SaveEventAsync("metrics", user, null, ("n", "1"));
            Assert.Equal(HttpStatusCode.Created, (await _client.PostAsync("/api/events", new { eventType = "CLICK", sessionId = "s", metadata = new { componentId = 1 } })).Response.StatusCode);
        }

        var response = await _client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Equal(3, Value(text, "pulse_events_ingested_total", "queue=\"events\""));
        Assert.Equal(3, Value(text, "pulse_events_ingested_total", "queue=\"tracked-events\""));
        Assert.Equal(3, Value(text, "http_server_request_duration_seconds_count", "http_route=\"/api/events\"", "http_response_status_code=\"201\""));
        Assert.Equal(1, Value(text, "http_server_request_duration_seconds_count", "http_route=\"/api/v1/users/\"", "http_response_status_code=\"200\""));
        Assert.Contains("pulse_pipeline_commit_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("pulse_cache_lookups_total{", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_collections_total{", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_metric_the_grafana_dashboard_queries_is_on_a_live_metrics_page()
    {
        var dashboard = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(TestEnvironment.RepositoryRoot, "deploy", "grafana", "pulse.json")))!;
        var queries = dashboard["panels"]!.AsArray()
            .SelectMany(panel => panel!["targets"]?.AsArray() ?? [])
            .Select(target => target!["expr"].Str())
            .ToList();
        var names = queries.SelectMany(query => MetricName().Matches(query).Select(match => match.Value)).Distinct().ToList();
        Assert.True(names.Count >= 15, string.Join(", ", names));

        // Traffic that makes every instrument report: events of both kinds, lookups, a hashtag search.
        var user = "grafana-" + Guid.NewGuid().ToString("N");
        await _client.CreateUserAsync(user);
        await _client.SaveEventAsync("grafana", user, null, ("n", "1"));
        await _client.PostAsync("/api/events", new { eventType = "CLICK", sessionId = "s", metadata = new { componentId = 1 } });
        await _client.GetAsync("/api/search?keyword=grafana&userId=1");
        var missing = names.ToList();
        var deadline = DateTime.UtcNow + Eventually.Patience;
        while (missing.Count > 0 && DateTime.UtcNow < deadline)
        {
            // The availability gauge comes from the readiness checks, which run in the background from 1 s on.
            var text = await _client.GetStringAsync("/metrics");
            missing = [.. names.Where(name => !Regex.IsMatch(text, "^" + Regex.Escape(name) + "[{ ]", RegexOptions.Multiline))];
            await Task.Delay(missing.Count > 0 ? 200 : 0);
        }

        Assert.Empty(missing);
    }

    /// <summary>The sum of a metric's samples whose labels contain all of <paramref name="labels"/>.</summary>
    internal static double Value(string text, string metric, params string[] labels) =>
        text.Split('\n')
            .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) && labels.All(label => line.Contains(label, StringComparison.Ordinal)))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Metric names in PromQL: Pulse's, ASP.NET Core's, Kestrel's and the runtime's (not label names: no "=" after).</summary>
    [GeneratedRegex("\\b(?:pulse|http_server|kestrel|aspnetcore|dotnet)_[a-z0-9_]+\\b(?!\\s*[=!])")]
    private static partial Regex MetricName();
}

public sealed class MetricsTests_Embedded : MetricsTests
{
    private readonly ProcessStorage _storage = ProcessStorage.Embedded("metrics");

    protected override Task<Dictionary<string, string>> PrepareAsync() => _storage.PrepareAsync();

    protected override Task CleanUpAsync() => _storage.CleanUpAsync();
}

public sealed class MetricsTests_Server : MetricsTests
{
    private readonly ProcessStorage _storage = ProcessStorage.Server("metrics");

    protected override Task<Dictionary<string, string>> PrepareAsync() => _storage.PrepareAsync();

    protected override Task CleanUpAsync() => _storage.CleanUpAsync();
}
