using Microsoft.AspNetCore.Http.HttpResults;
using Pulse.Api.Crm;
using Pulse.Api.Infrastructure;
using Pulse.Core.Access;

namespace Pulse.Api.Access;

/// <summary>Key management under <c>/api/v1/keys</c>, admin only. The secret is in the creation answer only.</summary>
internal static class KeysApi
{
    public static RouteGroupBuilder MapKeys(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/v1/keys").WithTags("Keys").RequireScope(ApiScopes.Admin);
        keys.MapPost("/", CreateAsync).WithSummary("Create a key; its secret is shown in this answer only");
        keys.MapGet("/", ListAsync).WithSummary("List keys, revoked ones included, without secrets");
        keys.MapDelete("/{id:long}", RevokeAsync).WithSummary("Revoke a key; every instance refuses it within 5 s");
        return keys;
    }

    private static async Task<Results<Created<ApiResponse<CreatedKeyView>>, ProblemHttpResult>> CreateAsync(
        KeyInput input, ApiKeyService keys, CancellationToken cancellationToken)
    {
        var outcome = await keys.CreateAsync(input.Name, input.Scopes, input.ExpiresAt, cancellationToken);
        return outcome.IsOk
            ? TypedResults.Created($"/api/v1/keys/{outcome.Value.Key.Id}", ApiResponse<CreatedKeyView>.Ok(CreatedKeyView.From(outcome.Value)))
            : Problems.For(outcome);
    }

    private static async Task<Ok<ApiResponse<KeysPayload>>> ListAsync(ApiKeyService keys, CancellationToken cancellationToken) =>
        TypedResults.Ok(ApiResponse<KeysPayload>.Ok(new KeysPayload([.. (await keys.ListAsync(cancellationToken)).Select(KeyView.From)])));

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(long id, ApiKeyService keys, CancellationToken cancellationToken) =>
        await keys.RevokeAsync(id, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound($"No key has id {id}.");
}

public sealed record KeyInput(string? Name, List<string?>? Scopes, DateTimeOffset? ExpiresAt);

public sealed record KeyView(long Id, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public static KeyView From(ApiKey key) => new(key.Id, key.Name, key.Scopes.Names(), key.CreatedAt, key.ExpiresAt, key.LastUsedAt, key.RevokedAt);
}

public sealed record CreatedKeyView(long Id, string Name, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt, DateTimeOffset CreatedAt, string Key)
{
    public static CreatedKeyView From(CreatedApiKey created) =>
        new(created.Key.Id, created.Key.Name, created.Key.Scopes.Names(), created.Key.ExpiresAt, created.Key.CreatedAt, created.Secret);
}

public sealed record KeysPayload(IReadOnlyList<KeyView> Keys);
