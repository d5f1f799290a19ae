using Microsoft.Data.Sqlite;
using Pulse.Core;
using Pulse.Core.Campaigns;
using Pulse.Core.Paging;

namespace Pulse.Sqlite;

public sealed class SqliteCampaignStore(SqliteDatabase database) : ICampaignStore
{
    private const string Columns = "c.id, c.name, c.properties, c.created_at";
    private const string LinkedCount = "(SELECT COUNT(*) FROM campaign_events ce WHERE ce.campaign_id = c.id)";

    public Task<Campaign?> TryCreateAsync(string name, IReadOnlyList<Property> properties, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction, ct) =>
        {
            // The UNIQUE constraint decides races between concurrent creates; the loser gets no row back.
            await using var command = connection.Command(
                    "INSERT INTO campaigns AS c (name, properties, created_at) VALUES ($n, $p, $t) ON CONFLICT (name) DO NOTHING RETURNING id, name, properties, created_at",
                    transaction)
                .With("$n", name).With("$p", PropertyJson.Serialize(properties)).With("$t", SqliteValues.ToUnixMs(now));
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? Map(reader) : null;
        }, cancellationToken);

    public Task<Campaign?> FindByNameAsync(string name, CancellationToken cancellationToken) =>
        FindAsync("c.name = $key", name, cancellationToken);

    public Task<Campaign?> FindByIdAsync(long id, CancellationToken cancellationToken) =>
        FindAsync("c.id = $key", id, cancellationToken);

    public Task<CampaignDetails?> GetDetailsAsync(long id, CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.Command($"SELECT {Columns}, {LinkedCount} FROM campaigns c WHERE c.id = $id").With("$id", id);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? new CampaignDetails(Map(reader), reader.GetInt64(4)) : null;
        }, cancellationToken);

    public Task<Page<CampaignDetails>> ListAsync(PageRequest request, CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, ct) =>
        {
            await using var count = connection.Command("SELECT COUNT(*) FROM campaigns");
            var total = (long)(await count.ExecuteScalarAsync(ct))!;
            await using var command = connection.Command($"SELECT {Columns}, {LinkedCount} FROM campaigns c ORDER BY c.id LIMIT $limit OFFSET $offset")
                .With("$limit", request.Size).With("$offset", request.Offset);
            var items = new List<CampaignDetails>(request.Size);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                items.Add(new CampaignDetails(Map(reader), reader.GetInt64(4)));
            }

            return new Page<CampaignDetails>(items, request.Page, request.Size, total);
        }, cancellationToken);

    private Task<Campaign?> FindAsync(string condition, object key, CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.Command($"SELECT {Columns} FROM campaigns c WHERE {condition}").With("$key", key);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? Map(reader) : null;
        }, cancellationToken);

    private static Campaign Map(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        PropertyJson.Parse(reader.GetString(2)),
        SqliteValues.FromUnixMs(reader.GetInt64(3)));
}
