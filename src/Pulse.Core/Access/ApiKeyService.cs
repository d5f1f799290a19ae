using Pulse.Core.Caching;

namespace Pulse.Core.Access;

/// <summary>Creates, lists and revokes keys; every change reaches every instance's registry.</summary>
public sealed class ApiKeyService(IApiKeyStore store, ApiKeyRegistry registry, ISharedCache shared, TimeProvider time)
{
    public const int MaxNameLength = 100;

    public async Task<Outcome<CreatedApiKey>> CreateAsync(string? name, IReadOnlyList<string?>? scopeNames, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
        {
            return Outcome<CreatedApiKey>.Invalid("name", $"A key needs a name of 1 to {MaxNameLength} characters.");
        }

        if (scopeNames is null || scopeNames.Count == 0)
        {
            return Outcome<CreatedApiKey>.Invalid("scopes", $"A key needs at least one scope: {string.Join(", ", ApiScopeNames.All)}.");
        }

        var scopes = ApiScopes.None;
        foreach (var scopeName in scopeNames)
        {
            if (ApiScopeNames.Parse(scopeName) is not { } scope)
            {
                return Outcome<CreatedApiKey>.Invalid("scopes", $"Unknown scope '{scopeName}': use {string.Join(", ", ApiScopeNames.All)}.");
            }

            scopes |= scope;
        }

        if (expiresAt is { } expiry && expiry <= now)
        {
            return Outcome<CreatedApiKey>.Invalid("expiresAt", "expiresAt must be in the future.");
        }

        var secret = ApiKeySecrets.Generate(scopes);
        var key = await store.CreateAsync(name, scopes, SecretHash.Of(secret), now, expiresAt, cancellationToken);
        await ChangedAsync(cancellationToken);
        return Outcome<CreatedApiKey>.Ok(new CreatedApiKey(key, secret));
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await store.ListAsync(cancellationToken)).Select(stored => stored.Key)];

    /// <summary>False when there is no such key; revoking a revoked key is harmless.</summary>
    public async Task<bool> RevokeAsync(long id, CancellationToken cancellationToken)
    {
        if (!await store.RevokeAsync(id, time.GetUtcNow(), cancellationToken))
        {
            return false;
        }

        await ChangedAsync(cancellationToken);
        return true;
    }

    private async Task ChangedAsync(CancellationToken cancellationToken)
    {
        await registry.RefreshAsync(cancellationToken);
        await shared.InvalidateAsync(ApiKeyRegistry.ChangedKey, cancellationToken);
    }
}
