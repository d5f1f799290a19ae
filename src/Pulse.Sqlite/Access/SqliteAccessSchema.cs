using Pulse.Core;

namespace Pulse.Sqlite.Access;

/// <summary>
/// API keys (versions 300–399): the SHA-256 of each secret, never the secret; <c>scopes</c> holds the flags of
/// <see cref="Pulse.Core.Access.ApiScopes"/> (1 ingest, 2 read, 4 admin). Never edit a released version.
/// </summary>
public static class SqliteAccessSchema
{
    public static readonly SchemaScript[] Scripts =
    [
        new(300, """
            CREATE TABLE api_keys (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL,
                scopes INTEGER NOT NULL CHECK (scopes BETWEEN 1 AND 7),
                secret_hash BLOB NOT NULL UNIQUE CHECK (length(secret_hash) = 32),
                created_at INTEGER NOT NULL,
                expires_at INTEGER,
                last_used_at INTEGER,
                revoked_at INTEGER);
            """),
    ];
}
