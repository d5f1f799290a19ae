using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Pulse.Api.Access;
using Pulse.Core.Access;
using Pulse.Core.Sdk;

namespace Pulse.Api.Sdk;

/// <summary>
/// Segment's HTTP Tracking API (<c>/v1/...</c>) and PostHog's capture API (<c>/capture</c>, <c>/batch</c>, <c>/e</c>,
/// <c>/i/v0/e</c>), so that their SDKs need only their host pointed at Pulse. Every message is stored once per message
/// id (docs/sdk.md); a 200 means every accepted message is durably stored.
/// </summary>
internal static class SdkApi
{
    private static readonly string[] SegmentTypes = ["identify", "track", "page", "screen", "group", "alias"];

    public static void MapSdk(this IEndpointRouteBuilder app)
    {
        var segment = app.MapGroup("/v1").WithTags("Segment-compatible ingestion");
        Configure(segment);
        foreach (var type in SegmentTypes)
        {
            segment.MapPost("/" + type, (HttpContext context, SdkService sdk, SdkAdmission admission, TimeProvider time, CancellationToken cancellationToken) =>
                    SegmentAsync(context, type, sdk, admission, time, cancellationToken))
                .WithSummary($"Segment {type}: one message");
        }

        foreach (var path in (ReadOnlySpan<string>)["/batch", "/import"])
        {
            segment.MapPost(path, (HttpContext context, SdkService sdk, SdkAdmission admission, TimeProvider time, CancellationToken cancellationToken) =>
                    SegmentAsync(context, null, sdk, admission, time, cancellationToken))
                .WithSummary($"Segment batch: up to {SdkLimits.MaxBatchMessages} messages");
        }

        var posthog = app.MapGroup("").WithTags("PostHog-compatible ingestion");
        Configure(posthog);
        foreach (var path in (ReadOnlySpan<string>)["/capture", "/batch", "/e", "/i/v0/e"])
        {
            // Routing matches "/batch/" too: a trailing slash is optional, as PostHog's SDKs send it.
            posthog.MapPost(path, PostHogAsync).WithSummary("PostHog capture: one event or a batch");
        }
    }

    private static void Configure(RouteGroupBuilder group) => group
        .WithMetadata(new RequestSizeLimitAttribute(SdkLimits.MaxRequestBytes), new SdkBodyKeyMetadata())
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .RequireScope(ApiScopes.Ingest);

    private static async Task<Results<Ok<SegmentAnswer>, ProblemHttpResult>> SegmentAsync(
        HttpContext context, string? type, SdkService sdk, SdkAdmission admission, TimeProvider time, CancellationToken cancellationToken)
    {
        var receivedAt = time.GetUtcNow();
        if (admission.Refusal(context) is { } refused)
        {
            return refused;
        }

        var body = await SdkBody.ReadAsync(context);
        SdkBatch batch;
        try
        {
            batch = SegmentProtocol.Read(body.RootElement, type);
        }
        catch (SdkRequestException exception)
        {
            return TypedResults.Problem(exception.Message, statusCode: StatusCodes.Status400BadRequest, title: "Malformed request");
        }

        return await StoreAsync(batch, sdk, receivedAt, cancellationToken) is { } rejected ? rejected
            : admission.AfterStored(context) is { } lost ? lost
            : TypedResults.Ok(new SegmentAnswer(true));
    }

    private static async Task<Results<Ok<PostHogAnswer>, ProblemHttpResult>> PostHogAsync(
        HttpContext context, SdkService sdk, SdkAdmission admission, TimeProvider time, CancellationToken cancellationToken)
    {
        var receivedAt = time.GetUtcNow();
        if (admission.Refusal(context) is { } refused)
        {
            return refused;
        }

        var body = await SdkBody.ReadAsync(context);
        SdkBatch batch;
        try
        {
            batch = PostHogProtocol.Read(body.RootElement);
        }
        catch (SdkRequestException exception)
        {
            return TypedResults.Problem(exception.Message, statusCode: StatusCodes.Status400BadRequest, title: "Malformed request");
        }

        return await StoreAsync(batch, sdk, receivedAt, cancellationToken) is { } rejected ? rejected
            : admission.AfterStored(context) is { } lost ? lost
            : TypedResults.Ok(new PostHogAnswer("Ok"));
    }

    /// <summary>Stores the accepted messages; null when none was rejected, else the 400 that lists the rejected ones.</summary>
    private static async Task<ProblemHttpResult?> StoreAsync(SdkBatch batch, SdkService sdk, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        batch.RejectSuppressed(sdk);
        if (batch.Accepted.Count > 0)
        {
            await sdk.IngestAsync([.. batch.Accepted.Select(a => a.Message)], receivedAt, cancellationToken);
        }

        if (batch.Rejected.Count == 0)
        {
            return null;
        }

        var rejected = batch.Rejected.OrderBy(r => r.Index).ToList();
        return TypedResults.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Some messages were rejected",
            Detail = string.Create(CultureInfo.InvariantCulture,
                $"{rejected.Count} of {batch.Count} messages were rejected and not stored; the other {batch.Accepted.Count} are stored. First: message {rejected[0].Index}: {rejected[0].Reason}."),
            Extensions = { ["rejected"] = rejected, ["stored"] = batch.Accepted.Count },
        });
    }
}

/// <summary>Segment's answer.</summary>
public sealed record SegmentAnswer(bool Success);

/// <summary>PostHog's (capture v0) answer.</summary>
public sealed record PostHogAnswer(string Status);
