using Npgsql;
using Pulse.Core.Events;
using Pulse.Core.Transfer;
using Pulse.Postgres.Query;

namespace Pulse.Postgres.Transfer;

/// <summary>
/// The export's reads: the search's own statement (<see cref="PostgresEventSearchSql"/>) with each event's campaign,
/// one keyset page at a time, on the search pool. Plain SQL on <c>events</c> and <c>event_properties</c>.
/// </summary>
public sealed class PostgresEventExportStore(PostgresSearchDataSource searches) : IEventExportStore
{
    public async Task<long> LastIdAsync(CancellationToken cancellationToken)
    {
        await using var command = searches.DataSource.CreateCommand("SELECT coalesce(max(id), 0) FROM events");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<ExportedEvent>> ReadPageAsync(EventQuery query, CancellationToken cancellationToken)
    {
        await using var command = searches.DataSource.CreateCommand();
        command.CommandText = new PostgresEventSearchSql(command.Parameters).Write(query);
        var page = new List<ExportedEvent>(query.Limit);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                page.Add(new ExportedEvent(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.ReadTime(5),
                    reader.ReadTime(4),
                    null,
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.IsDBNull(7) ? null : reader.ReadTime(7),
                    reader.GetBoolean(8)));
            }
        }

        if (page.Count > 0)
        {
            await using var links = searches.DataSource.CreateCommand(ExportedPage.CampaignsSql.Replace("@first", "$1", StringComparison.Ordinal).Replace("@last", "$2", StringComparison.Ordinal));
            links.Parameters.Add(new NpgsqlParameter { Value = page[0].Id });
            links.Parameters.Add(new NpgsqlParameter { Value = page[^1].Id });
            var found = new List<(long, string)>();
            await using var reader = await links.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                found.Add((reader.GetInt64(0), reader.GetString(1)));
            }

            ExportedPage.Link(page, found);
        }

        return page;
    }

    public async Task<IReadOnlyList<string>> ReadKeysAsync(EventQuery query, int limit, CancellationToken cancellationToken)
    {
        await using var command = searches.DataSource.CreateCommand();
        command.CommandText = new PostgresEventSearchSql(command.Parameters).WriteKeys(query);
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (keys.Count < limit && await reader.ReadAsync(cancellationToken))
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }
}
