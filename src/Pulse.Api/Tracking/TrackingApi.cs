using Pulse.Api.Access;
using Pulse.Core.Access;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Pulse.Api.Infrastructure;
using Pulse.Core;
using Pulse.Core.Tracking;

namespace Pulse.Api.Tracking;

/// <summary>The event tracker's ingestion API (seed 004). 201 means stored and counted.</summary>
internal static class TrackingApi
{
    // 1,000 events with every string at its limit, fully \u-escaped, stay below this.
    public const long BatchMaxRequestBodyBytes = 4 * 1024 * 1024;

    public static RouteGroupBuilder MapTracking(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Tracking").RequireScope(ApiScopes.Ingest);
        api.MapPost("/events", TrackAsync)
            .WithSummary("Store and count a tracked event (PAGE_VIEW, SEARCH, CLICK, LIKE, UNLIKE)");
        api.MapPost("/users/events", TrackAsync)
            .WithSummary("Alias of POST /api/events (the original service's path)");
        api.MapPost("/events/batch", TrackBatchAsync)
            .WithSummary($"Store and count up to {Limits.MaxBatchSize} tracked events; each item gets its own result")
            .WithMetadata(new RequestSizeLimitAttribute(BatchMaxRequestBodyBytes));
        return api;
    }

    private static async Task<Results<Created<TrackedEventView>, ProblemHttpResult>> TrackAsync(
        TrackedEventInput input, TrackingService tracking, CancellationToken cancellationToken)
    {
        var outcome = await tracking.TrackAsync(input, cancellationToken);
        return outcome.IsOk ? TypedResults.Created((string?)null, TrackedEventView.From(outcome.Value)) : Problems.For(outcome);
    }

    private static async Task<Results<Ok<TrackedBatchView>, ValidationProblem>> TrackBatchAsync(
        List<TrackedEventInput?> inputs, TrackingService tracking, CancellationToken cancellationToken)
    {
        if (inputs.Count is 0 or > Limits.MaxBatchSize)
        {
            return Problems.Invalid("events", $"A batch holds between 1 and {Limits.MaxBatchSize} events (got {inputs.Count}).");
        }

        var results = await tracking.TrackBatchAsync(inputs, cancellationToken);
        return TypedResults.Ok(TrackedBatchView.From(results));
    }
}
