using Npgsql;
using Pulse.Core.Access;

namespace Pulse.Postgres.Access;

/// <summary>SQL text is built from constants only; every value is a parameter.</summary>
public sealed class PostgresApiKeyStore(NpgsqlDataSource dataSource) : IApiKeyStore
{
    private const string Columns = "id, name, scopes, created_at, expires_at, last_used_at, revoked_at, secret_hash";

    public async Task<ApiKey> CreateAsync(string name, ApiScopes scopes, SecretHash hash, DateTimeOffset createdAt, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
                $"INSERT INTO api_keys (name, scopes, secret_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING {Columns}")
            .With(name).With((int)scopes).With(hash.ToBytes()).With(createdAt).With(expiresAt);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return Map(reader).Key;
    }

    public async Task<IReadOnlyList<StoredApiKey>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM api_keys ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<StoredApiKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(Map(reader));
        }

        return keys;
    }

    public async Task<bool> RevokeAsync(long id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2").With(at).With(id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task TouchAsync(long id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE api_keys SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $1)").With(at).With(id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static StoredApiKey Map(NpgsqlDataReader reader) => new(
        new ApiKey(
            reader.GetInt64(0),
            reader.GetString(1),
            (ApiScopes)reader.GetInt32(2),
            reader.ReadTime(3),
            Time(reader, 4),
            Time(reader, 5),
            Time(reader, 6)),
        SecretHash.FromBytes(reader.GetFieldValue<byte[]>(7)));

    private static DateTimeOffset? Time(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.ReadTime(ordinal);
}
