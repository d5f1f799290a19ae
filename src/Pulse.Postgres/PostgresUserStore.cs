using Npgsql;
using Pulse.Core.Paging;
using Pulse.Core.Users;

namespace Pulse.Postgres;

/// <summary>SQL text is built from constants only; every value is a parameter.</summary>
public sealed class PostgresUserStore(NpgsqlDataSource dataSource) : IUserStore
{
    private const string Columns = "id, external_id, user_attributes, created_at, updated_at";

    public Task<User?> TryCreateAsync(string externalId, string userAttributes, DateTimeOffset now, CancellationToken cancellationToken) =>
        SingleAsync(
            dataSource.CreateCommand($"INSERT INTO users (external_id, user_attributes, created_at, updated_at) VALUES ($1, $2, $3, $3) ON CONFLICT (external_id) DO NOTHING RETURNING {Columns}")
                .With(externalId).With(userAttributes).With(now),
            cancellationToken);

    public Task<User?> TryUpdateAttributesAsync(long id, string? externalId, string userAttributes, DateTimeOffset now, CancellationToken cancellationToken) =>
        SingleAsync(
            dataSource.CreateCommand($"UPDATE users SET user_attributes = $1, updated_at = $2 WHERE id = $3 AND ($4::text IS NULL OR external_id = $4) RETURNING {Columns}")
                .With(userAttributes).With(now).With(id).With(externalId),
            cancellationToken);

    public Task<User?> FindByExternalIdAsync(string externalId, CancellationToken cancellationToken) =>
        SingleAsync(dataSource.CreateCommand($"SELECT {Columns} FROM users WHERE external_id = $1").With(externalId), cancellationToken);

    public async Task<Page<User>> ListAsync(PageRequest request, CancellationToken cancellationToken)
    {
        var total = await CountAsync(cancellationToken);
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM users ORDER BY id LIMIT $1 OFFSET $2")
            .With(request.Size).With(request.Offset);
        var users = new List<User>(request.Size);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add(Map(reader));
        }

        return new Page<User>(users, request.Page, request.Size, total);
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT COUNT(*) FROM users");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<User?> SingleAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? Map(reader) : null;
        }
    }

    private static User Map(NpgsqlDataReader reader) =>
        new(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.ReadTime(3), reader.ReadTime(4));
}
