using Microsoft.AspNetCore.Http.HttpResults;
using Pulse.Api.Access;
using Pulse.Api.Crm;
using Pulse.Api.Infrastructure;
using Pulse.Core;
using Pulse.Core.Access;
using Pulse.Core.Lifecycle;

namespace Pulse.Api.Lifecycle;

/// <summary>
/// Erasure of a person and suppression of their id, admin only (docs/lifecycle.md). An erasure small enough
/// (<see cref="ErasureOptions.InlineLimit"/> rows) completes inside the request and answers 200; a larger one answers
/// 202 once its record is committed (it then survives a restart) and continues in the background.
/// </summary>
internal static class ErasureApi
{
    public const int DefaultListLimit = 50;
    public const int MaxListLimit = 500;

    public static RouteGroupBuilder MapLifecycle(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Erasure").RequireScope(ApiScopes.Admin);
        api.MapDelete("/users/{externalId}", EraseAsync)
            .WithSummary("Erase a user and everything of theirs; ?suppress=true also refuses later data for the id");
        api.MapGet("/erasures/{id:long}", FindAsync).WithSummary("An erasure's status, who asked, and the counts removed per kind");
        api.MapGet("/erasures", ListAsync).WithSummary("Erasures, newest first (the audit record)");
        api.MapGet("/suppressions", SuppressionsAsync).WithSummary("Suppressed external ids");
        api.MapDelete("/suppressions/{externalId}", LiftAsync).WithSummary("Lift a suppression: data for the id is accepted again");
        return api;
    }

    private static async Task<Results<Ok<ApiResponse<ErasureView>>, Accepted<ApiResponse<ErasureView>>, ValidationProblem>> EraseAsync(
        string externalId, bool? suppress, HttpContext context, ErasureService erasures, ErasureWorker worker)
    {
        if (string.IsNullOrWhiteSpace(externalId) || externalId.Length > Limits.MaxExternalIdLength)
        {
            return Problems.Invalid("externalId", $"'externalId' must be 1 to {Limits.MaxExternalIdLength} characters.");
        }

        var key = (context.User as ApiKeyPrincipal)?.Key;
        // Not the request's token: once the record is committed the erasure is acknowledged work, which a client that
        // goes away must not stop half-way (it would be resumed, but only at the next start).
        var start = await erasures.BeginAsync(externalId, suppress ?? false, key?.Id, key?.Name ?? "open (no key configured)", CancellationToken.None);
        if (!erasures.RunsInline(start))
        {
            worker.Enqueue(start.Erasure);
            return TypedResults.Accepted($"/api/v1/erasures/{start.Erasure.Id}", ApiResponse<ErasureView>.Ok(ErasureView.From(start.Erasure)));
        }

        try
        {
            var done = await erasures.RunAsync(start.Erasure, CancellationToken.None);
            return TypedResults.Ok(ApiResponse<ErasureView>.Ok(ErasureView.From(done)));
        }
        catch
        {
            worker.Enqueue(start.Erasure);
            throw;
        }
    }

    private static async Task<Results<Ok<ApiResponse<ErasureView>>, ProblemHttpResult>> FindAsync(long id, ErasureService erasures, CancellationToken cancellationToken) =>
        await erasures.FindAsync(id, cancellationToken) is { } erasure
            ? TypedResults.Ok(ApiResponse<ErasureView>.Ok(ErasureView.From(erasure)))
            : Problems.NotFound($"No erasure has id {id}.");

    private static async Task<Results<Ok<ApiResponse<ErasuresPayload>>, ValidationProblem>> ListAsync(
        long? before, int? limit, ErasureService erasures, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxListLimit)
        {
            return Problems.Invalid("limit", $"'limit' must be between 1 and {MaxListLimit}.");
        }

        var size = limit ?? DefaultListLimit;
        var page = await erasures.ListAsync(before, size, cancellationToken);
        return TypedResults.Ok(ApiResponse<ErasuresPayload>.Ok(new ErasuresPayload(
            [.. page.Select(ErasureView.From)], page.Count == size ? page[^1].Id : null)));
    }

    private static async Task<Ok<ApiResponse<SuppressionsPayload>>> SuppressionsAsync(Suppressions suppressions, CancellationToken cancellationToken) =>
        TypedResults.Ok(ApiResponse<SuppressionsPayload>.Ok(new SuppressionsPayload([.. (await suppressions.ListAsync(cancellationToken)).Select(SuppressionView.From)])));

    private static async Task<Results<NoContent, ProblemHttpResult>> LiftAsync(string externalId, Suppressions suppressions, CancellationToken cancellationToken) =>
        await suppressions.LiftAsync(externalId, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound($"'{externalId}' is not suppressed.");
}

public sealed record ErasureRequester(long? KeyId, string KeyName);

/// <summary>An erasure as the API shows it: its status and audit record. It names the erased external id, never their data.</summary>
public sealed record ErasureView(
    long Id, string ExternalId, string Status, bool Suppressed, ErasureRequester RequestedBy, DateTimeOffset RequestedAt, DateTimeOffset? CompletedAt, ErasureCounts Removed)
{
    public static ErasureView From(Erasure erasure) => new(
        erasure.Id, erasure.ExternalId, erasure.Status, erasure.Suppress, new ErasureRequester(erasure.KeyId, erasure.KeyName),
        erasure.RequestedAt, erasure.CompletedAt, erasure.Counts);
}

public sealed record ErasuresPayload(IReadOnlyList<ErasureView> Erasures, long? NextBefore);

public sealed record SuppressionView(string ExternalId, long? ErasureId, DateTimeOffset CreatedAt)
{
    public static SuppressionView From(Suppression suppression) => new(suppression.ExternalId, suppression.ErasureId, suppression.CreatedAt);
}

public sealed record SuppressionsPayload(IReadOnlyList<SuppressionView> Suppressions);
