using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.FileProviders;
using Pulse.Api.Access;
using Pulse.Api.Operations;
using Pulse.Core.Access;
using Pulse.Core.Events;
using Pulse.Core.Pipeline;
using Pulse.Core.Tracking;

namespace Pulse.Api.Dashboard;

/// <summary>
/// The dashboard: a static page at <c>/</c> (HTML, CSS and JavaScript modules embedded in this assembly from wwwroot,
/// so <c>dotnet run</c> from any directory and a published build serve it; no build step, no CDN), which calls the
/// read API with the reader's key, and the one summary the existing API cannot give (<c>/api/dashboard/overview</c>).
/// docs/dashboard.md describes the page.
/// </summary>
internal static class DashboardApi
{
    public const int OverviewMinutes = 60;
    public const int HeadlineMinutes = 5;

    // The page loads its scripts and styles from Pulse only and renders API data as text: nothing inline, nothing else.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void MapDashboard(this WebApplication app)
    {
        // Created now, not at the first overview: it counts only what happens after it starts listening.
        app.Services.GetRequiredService<PipelineMonitor>();
        var files = new ManifestEmbeddedFileProvider(typeof(DashboardApi).Assembly, "wwwroot");
        // Only the page's own paths pass through the file middleware, so API requests do not.
        app.UseWhen(
            context => IsPagePath(context.Request.Path),
            page =>
            {
                page.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
                page.UseStaticFiles(new StaticFileOptions
                {
                    FileProvider = files,
                    OnPrepareResponse = context =>
                    {
                        var headers = context.Context.Response.Headers;
                        headers.ContentSecurityPolicy = ContentSecurityPolicy;
                        headers.XContentTypeOptions = "nosniff";
                        headers["Referrer-Policy"] = "no-referrer";
                        // Revalidated on every load (ETag), so an upgraded Pulse never serves yesterday's script.
                        headers.CacheControl = "no-cache";
                    },
                });
            });

        app.MapGet("/api/dashboard/overview", OverviewAsync)
            .WithTags("Dashboard")
            .WithSummary("The dashboard's summary: events stored per minute over the last 60 minutes (CRM and each tracked type), the write queues, the last minute's requests, 503s and commit times, and whether the database and Redis answer")
            .RequireScope(ApiScopes.Read);
    }

    public static void AddPulseDashboard(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PipelineMonitor>();
        builder.Services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(json =>
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, DashboardJsonContext.Default));
    }

    private static async Task<Ok<DashboardOverview>> OverviewAsync(
        IEventCounts events, StatisticsService statistics, IEnumerable<IWritePipeline> pipelines, PipelineMonitor monitor,
        DependencyAvailability dependencies, TimeProvider time, CancellationToken cancellationToken)
    {
        var window = MinuteWindow.Last(OverviewMinutes, time.GetUtcNow());
        var crm = events.PerMinuteAsync(window, cancellationToken);
        var tracked = TrackedEventTypes.All.Select(type => statistics.SeriesAsync(type, CounterFilter.Everything, window, cancellationToken)).ToList();
        await Task.WhenAll([crm, .. tracked]);

        var crmCounts = crm.Result;
        var series = new List<IngestedSeries>(1 + tracked.Count) { new("CRM", crmCounts) };
        series.AddRange(tracked.Select((task, i) => new IngestedSeries(TrackedEventTypes.All[i].ToWire(), task.Result.Counts)));
        var activity = monitor.LastMinute();
        var checks = dependencies.Last;
        var pipeline = new PipelineView(
            [.. pipelines.Select(queue => new QueueView(queue.Name, queue.QueueDepth))],
            activity.Requests, activity.Unavailable, activity.Commits, activity.MeanCommitMs, activity.MaxCommitMs,
            checks?.CheckedAt, [.. (checks?.Dependencies ?? []).Select(d => new DependencyView(d.Name, d.Up))]);
        var ingested = new IngestedView(
            Last(crmCounts), series.Skip(1).Sum(s => Last(s.Counts)), series, tracked.Any(task => task.Result.Partial));
        return TypedResults.Ok(new DashboardOverview(window.From, window.To, ingested, pipeline));
    }

    private static bool IsPagePath(PathString path) =>
        path.Value is "/" or "/index.html" || path.StartsWithSegments("/dashboard") || path.StartsWithSegments("/vendor");

    private static long Last(IReadOnlyList<long> counts) => counts.Skip(counts.Count - HeadlineMinutes).Sum();
}
