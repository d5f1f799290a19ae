using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pulse.Api.Infrastructure;

namespace Pulse.Api.Operations;

internal static class OperationsApi
{
    private static readonly PathString DocsPath = new("/docs");

    public static void MapOperations(this WebApplication app)
    {
        // The interactive page ships its assets in the package: no CDN needed. The middleware sits on /docs only, so
        // API requests do not pass through it.
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(DocsPath),
            docs => docs.UseSwaggerUI(ui =>
            {
                ui.SwaggerEndpoint("/openapi/v1.json", "Pulse v1");
                ui.RoutePrefix = DocsPath.Value![1..];
                ui.DocumentTitle = "Pulse API";
            }));
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapPulseMetrics();

        // ASP.NET Core's health checks; each adapter registers its own, tagged "ready", with a timeout per check.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync("live") })
            .WithTags("Operations");
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            ResponseWriter = WriteAsync("ready"),
        }).WithTags("Operations");
    }

    /// <summary>
    /// <c>{"status": "ready" | "not ready" | "live", "checks": [{"name", "status": "ok" | "unavailable"}]}</c>: a check
    /// that threw, timed out or answered wrongly is "unavailable". The status code (200, or 503 when a check is not
    /// healthy) is set by the health-check middleware.
    /// </summary>
    private static Func<HttpContext, HealthReport, Task> WriteAsync(string healthyStatus) => (context, report) =>
    {
        var checks = report.Entries
            .Select(entry => new HealthCheckView(entry.Key, entry.Value.Status == HealthStatus.Healthy ? "ok" : "unavailable"))
            .ToList();
        var status = report.Status == HealthStatus.Healthy ? healthyStatus : "not " + healthyStatus;
        return context.Response.WriteAsJsonAsync(new HealthView(status, checks), PulseJsonContext.Default.HealthView, cancellationToken: context.RequestAborted);
    };
}

public sealed record HealthView(string Status, IReadOnlyList<HealthCheckView> Checks);

public sealed record HealthCheckView(string Name, string Status);
