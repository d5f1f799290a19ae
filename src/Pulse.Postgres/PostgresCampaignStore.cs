using Npgsql;
using NpgsqlTypes;
using Pulse.Core;
using Pulse.Core.Campaigns;
using Pulse.Core.Paging;

namespace Pulse.Postgres;

/// <summary>SQL text is built from constants only; every value is a parameter.</summary>
public sealed class PostgresCampaignStore(NpgsqlDataSource dataSource) : ICampaignStore
{
    private const string Columns = "c.id, c.name, c.properties::text, c.created_at";
    private const string LinkedCount = "(SELECT COUNT(*) FROM campaign_events ce WHERE ce.campaign_id = c.id)";

    public async Task<Campaign?> TryCreateAsync(string name, IReadOnlyList<Property> properties, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The UNIQUE constraint decides races between concurrent creates; the loser gets no row back.
        await using var command = dataSource.CreateCommand(
            $"INSERT INTO campaigns AS c (name, properties, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING RETURNING {Columns}");
        command.Parameters.AddWithValue(name);
        command.Parameters.AddWithValue(NpgsqlDbType.Jsonb, PropertyJson.Serialize(properties));
        command.Parameters.AddWithValue(now);
        return await SingleAsync(command, cancellationToken);
    }

    public async Task<Campaign?> FindByNameAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM campaigns c WHERE c.name = $1").With(name);
        return await SingleAsync(command, cancellationToken);
    }

    public async Task<Campaign?> FindByIdAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM campaigns c WHERE c.id = $1").With(id);
        return await SingleAsync(command, cancellationToken);
    }

    public async Task<CampaignDetails?> GetDetailsAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns}, {LinkedCount} FROM campaigns c WHERE c.id = $1").With(id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new CampaignDetails(Map(reader), reader.GetInt64(4)) : null;
    }

    public async Task<Page<CampaignDetails>> ListAsync(PageRequest request, CancellationToken cancellationToken)
    {
        long total;
        await using (var count = dataSource.CreateCommand("SELECT COUNT(*) FROM campaigns"))
        {
            total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }

        await using var command = dataSource.CreateCommand($"SELECT {Columns}, {LinkedCount} FROM campaigns c ORDER BY c.id LIMIT $1 OFFSET $2")
            .With(request.Size).With(request.Offset);
        var items = new List<CampaignDetails>(request.Size);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new CampaignDetails(Map(reader), reader.GetInt64(4)));
        }

        return new Page<CampaignDetails>(items, request.Page, request.Size, total);
    }

    private static async Task<Campaign?> SingleAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Map(reader) : null;
    }

    private static Campaign Map(NpgsqlDataReader reader) =>
        new(reader.GetInt64(0), reader.GetString(1), PropertyJson.Parse(reader.GetString(2)), reader.ReadTime(3));
}
