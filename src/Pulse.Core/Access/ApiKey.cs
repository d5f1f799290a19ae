namespace Pulse.Core.Access;

/// <summary>A key as listed: never its secret, which only the creation answer shows.</summary>
public sealed record ApiKey(
    long Id,
    string Name,
    ApiScopes Scopes,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt)
{
    public bool IsActiveAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || now < ExpiresAt);
}

/// <summary>A key with the hash of its secret, as stored.</summary>
public sealed record StoredApiKey(ApiKey Key, SecretHash Hash);

/// <summary>A key just created, with its secret: shown once.</summary>
public sealed record CreatedApiKey(ApiKey Key, string Secret);
