using Microsoft.Data.Sqlite;
using Pulse.Core.Paging;
using Pulse.Core.Users;

namespace Pulse.Sqlite;

public sealed class SqliteUserStore(SqliteDatabase database) : IUserStore
{
    private const string Columns = "id, external_id, user_attributes, created_at, updated_at";

    public Task<User?> TryCreateAsync(string externalId, string userAttributes, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction, ct) =>
        {
            // INSERT OR IGNORE + RETURNING: a taken external id returns no row instead of raising.
            await using var command = connection.Command(
                    $"INSERT INTO users (external_id, user_attributes, created_at, updated_at) VALUES ($e, $a, $t, $t) ON CONFLICT (external_id) DO NOTHING RETURNING {Columns}",
                    transaction)
                .With("$e", externalId).With("$a", userAttributes).With("$t", SqliteValues.ToUnixMs(now));
            return await ReadSingleAsync(command, ct);
        }, cancellationToken);

    public Task<User?> TryUpdateAttributesAsync(long id, string? externalId, string userAttributes, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction, ct) =>
        {
            await using var command = connection.Command(
                    $"UPDATE users SET user_attributes = $a, updated_at = $t WHERE id = $id AND ($e IS NULL OR external_id = $e) RETURNING {Columns}",
                    transaction)
                .With("$a", userAttributes).With("$t", SqliteValues.ToUnixMs(now)).With("$id", id).With("$e", externalId);
            return await ReadSingleAsync(command, ct);
        }, cancellationToken);

    public Task<User?> FindByExternalIdAsync(string externalId, CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.Command($"SELECT {Columns} FROM users WHERE external_id = $e").With("$e", externalId);
            return await ReadSingleAsync(command, ct);
        }, cancellationToken);

    public Task<Page<User>> ListAsync(PageRequest request, CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, ct) =>
        {
            await using var count = connection.Command("SELECT COUNT(*) FROM users");
            var total = (long)(await count.ExecuteScalarAsync(ct))!;
            await using var command = connection.Command($"SELECT {Columns} FROM users ORDER BY id LIMIT $limit OFFSET $offset")
                .With("$limit", request.Size).With("$offset", request.Offset);
            var users = new List<User>(request.Size);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                users.Add(Map(reader));
            }

            return new Page<User>(users, request.Page, request.Size, total);
        }, cancellationToken);

    public Task<long> CountAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.Command("SELECT COUNT(*) FROM users");
            return (long)(await command.ExecuteScalarAsync(ct))!;
        }, cancellationToken);

    private static async Task<User?> ReadSingleAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Map(reader) : null;
    }

    private static User Map(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        SqliteValues.FromUnixMs(reader.GetInt64(3)),
        SqliteValues.FromUnixMs(reader.GetInt64(4)));
}
