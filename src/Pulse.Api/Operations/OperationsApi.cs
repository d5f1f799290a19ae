using Microsoft.AspNetCore.Http.HttpResults;
using Pulse.Core.Health;

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
        app.MapGet("/", () => TypedResults.Redirect("/docs")).ExcludeFromDescription();

        var health = app.MapGroup("/health").WithTags("Operations");
        health.MapGet("/live", () => TypedResults.Ok(new HealthReport("live", [])));
        health.MapGet("/ready", ReadyAsync);
    }

    /// <summary>Ready when every dependency (database; Redis in server mode) answers within two seconds.</summary>
    private static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> ReadyAsync(
        IEnumerable<IReadinessProbe> probes, CancellationToken cancellationToken)
    {
        var checks = new List<HealthCheck>();
        foreach (var probe in probes)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            string status;
            try
            {
                status = await probe.CheckAsync(timeout.Token) ? "ok" : "failing";
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                status = "unavailable";
            }

            checks.Add(new HealthCheck(probe.Name, status));
        }

        var report = new HealthReport(checks.TrueForAll(c => c.Status == "ok") ? "ready" : "not ready", checks);
        return report.Status == "ready"
            ? TypedResults.Ok(report)
            : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}

public sealed record HealthReport(string Status, IReadOnlyList<HealthCheck> Checks);

public sealed record HealthCheck(string Name, string Status);
