using Microsoft.Data.Sqlite;
using Pulse.Core.Access;

namespace Pulse.Sqlite.Access;

public sealed class SqliteApiKeyStore(SqliteDatabase database) : IApiKeyStore
{
    private const string Columns = "id, name, scopes, created_at, expires_at, last_used_at, revoked_at, secret_hash";

    public Task<ApiKey> CreateAsync(string name, ApiScopes scopes, SecretHash hash, DateTimeOffset createdAt, DateTimeOffset? expiresAt, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction, ct) =>
        {
            await using var command = connection.Command(
                    $"INSERT INTO api_keys (name, scopes, secret_hash, created_at, expires_at) VALUES ($n, $s, $h, $c, $e) RETURNING {Columns}", transaction)
                .With("$n", name).With("$s", (long)scopes).With("$h", hash.ToBytes()).With("$c", SqliteValues.ToUnixMs(createdAt))
                .With("$e", expiresAt is { } e ? SqliteValues.ToUnixMs(e) : null);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return Map(reader).Key;
        }, cancellationToken);

    public Task<IReadOnlyList<StoredApiKey>> ListAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<StoredApiKey>>(async (connection, ct) =>
        {
            await using var command = connection.Command($"SELECT {Columns} FROM api_keys ORDER BY id");
            await using var reader = await command.ExecuteReaderAsync(ct);
            var keys = new List<StoredApiKey>();
            while (await reader.ReadAsync(ct))
            {
                keys.Add(Map(reader));
            }

            return keys;
        }, cancellationToken);

    public Task<bool> RevokeAsync(long id, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction, ct) =>
        {
            await using var command = connection.Command("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $t) WHERE id = $id", transaction)
                .With("$t", SqliteValues.ToUnixMs(at)).With("$id", id);
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);

    public Task TouchAsync(long id, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction, ct) =>
        {
            await using var command = connection.Command(
                    "UPDATE api_keys SET last_used_at = $t WHERE id = $id AND (last_used_at IS NULL OR last_used_at < $t)", transaction)
                .With("$t", SqliteValues.ToUnixMs(at)).With("$id", id);
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);

    private static StoredApiKey Map(SqliteDataReader reader) => new(
        new ApiKey(
            reader.GetInt64(0),
            reader.GetString(1),
            (ApiScopes)reader.GetInt64(2),
            SqliteValues.FromUnixMs(reader.GetInt64(3)),
            Time(reader, 4),
            Time(reader, 5),
            Time(reader, 6)),
        SecretHash.FromBytes((byte[])reader.GetValue(7)));

    private static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : SqliteValues.FromUnixMs(reader.GetInt64(ordinal));
}
