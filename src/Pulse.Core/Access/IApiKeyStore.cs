namespace Pulse.Core.Access;

/// <summary>Keys, stored in the same database as the data: only the hashes of their secrets.</summary>
public interface IApiKeyStore
{
    Task<ApiKey> CreateAsync(string name, ApiScopes scopes, SecretHash hash, DateTimeOffset createdAt, DateTimeOffset? expiresAt, CancellationToken cancellationToken);

    /// <summary>Every key ever created, revoked ones included, in id order.</summary>
    Task<IReadOnlyList<StoredApiKey>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Revokes the key; false when there is no such key. Revoking again keeps the first time.</summary>
    Task<bool> RevokeAsync(long id, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Records a use; never moves <c>last_used_at</c> back.</summary>
    Task TouchAsync(long id, DateTimeOffset at, CancellationToken cancellationToken);
}
