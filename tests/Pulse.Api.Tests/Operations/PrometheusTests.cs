using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Redis.Tests.Infrastructure;

namespace Pulse.Api.Tests.Operations;

/// <summary>
/// A real Prometheus (Debian's package, installed by scripts/test.sh) scrapes a real Pulse process with a read key as
/// deploy/prometheus/prometheus.yml says to, and its HTTP API then returns exactly the events the test sent.
/// </summary>
public sealed class PrometheusTests : IAsyncLifetime
{
    private const string BootstrapKey = "prometheus-test-bootstrap-key-0123456789";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), TestEnvironment.Unique("pulse-prometheus"));
    private Process? _prometheus;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Prometheus_scrapes_pulse_with_a_read_key_and_returns_its_counts()
    {
        await using var pulse = await PulseProcess.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Sqlite"] = $"Data Source={Path.Combine(_directory, "pulse.db")}",
            ["Auth__BootstrapAdminKey"] = BootstrapKey,
        });
        using var client = new HttpClient { BaseAddress = pulse.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", BootstrapKey);
        var (_, created) = await client.PostAsync("/api/v1/keys", new { name = "prometheus", scopes = new[] { "read" } });
        var readKey = created["data"]!["key"].Str();
        await File.WriteAllTextAsync(Path.Combine(_directory, "read-key"), readKey);

        const int Sent = 7;
        for (var i = 0; i < Sent; i++)
        {
            var (response, _) = await client.PostAsync("/api/events", new { eventType = "CLICK", sessionId = "s", metadata = new { componentId = 1 } });
            Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        }

        var port = FreePort.Find();
        await File.WriteAllTextAsync(Path.Combine(_directory, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: pulse
                metrics_path: /metrics
                authorization:
                  type: Bearer
                  credentials_file: {Path.Combine(_directory, "read-key")}
                static_configs:
                  - targets: ["{pulse.BaseAddress.Authority}"]
            """);
        var start = new ProcessStartInfo(TestEnvironment.Prometheus) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { $"--config.file={Path.Combine(_directory, "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(_directory, "data")}", $"--web.listen-address=127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(arg);
        }

        _prometheus = Process.Start(start)!;
        _prometheus.OutputDataReceived += (_, _) => { };
        _prometheus.ErrorDataReceived += (_, _) => { };
        _prometheus.BeginOutputReadLine();
        _prometheus.BeginErrorReadLine();

        using var prometheus = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        double? ingested = null;
        await Eventually.HoldsAsync(async () =>
        {
            var answer = JsonNode.Parse(await prometheus.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString("sum(pulse_events_ingested_total{queue=\"tracked-events\"})")))!;
            var result = answer["data"]!["result"]!.AsArray();
            ingested = result.Count == 0 ? null : double.Parse(result[0]!["value"]![1].Str(), CultureInfo.InvariantCulture);
            return ingested == Sent;
        }, $"Prometheus returning {Sent} tracked events");

        Assert.Equal(Sent, ingested);
        // up is the last scrape's outcome, and a scrape has 1 s (the interval) before Prometheus counts it failed: one
        // slow scrape on a busy machine makes it 0 until the next, so look until it is 1 (with a refused key it never is).
        await Eventually.HoldsAsync(async () =>
        {
            var up = JsonNode.Parse(await prometheus.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString("up{job=\"pulse\"}")))!;
            return up["data"]!["result"]![0]!["value"]![1].Str() == "1";
        }, "Prometheus's last scrape of Pulse succeeding");
    }

    public async Task DisposeAsync()
    {
        if (_prometheus is { HasExited: false })
        {
            _prometheus.Kill();
            await _prometheus.WaitForExitAsync().WaitAsync(Eventually.Patience);
        }

        _prometheus?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
