using Microsoft.Data.Sqlite;
using Pulse.Core.Events;
using Pulse.Core.Transfer;
using Pulse.Sqlite.Query;

namespace Pulse.Sqlite.Transfer;

/// <summary>
/// The export's reads: the search's own statement (<see cref="SqliteEventSearchSql"/>, driven by a selective equality
/// where that is faster) with each event's campaign, one keyset page at a time, on a reader connection: a page's read
/// transaction ends with the page, so an export never holds back checkpoints for long.
/// </summary>
public sealed class SqliteEventExportStore(SqliteDatabase database) : IEventExportStore
{
    public Task<long> LastIdAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.Command("SELECT coalesce(max(id), 0) FROM events");
            return (long)(await command.ExecuteScalarAsync(ct))!;
        }, cancellationToken);

    public Task<IReadOnlyList<ExportedEvent>> ReadPageAsync(EventQuery query, CancellationToken cancellationToken) =>
        database.ReadPreparedAsync<IReadOnlyList<ExportedEvent>>(async (connection, ct) =>
        {
            var driver = await SqliteEventSearchSql.ChooseDriverAsync(connection, query, ct);
            using var parameters = new SqliteCommand();
            var command = connection.Statement(new SqliteEventSearchSql(parameters.Parameters, driver) .Write(query));
            foreach (SqliteParameter parameter in parameters.Parameters)
            {
                command.Parameters.Add(parameter);
            }

            var page = new List<ExportedEvent>(query.Limit);
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    page.Add(new ExportedEvent(
                        reader.GetInt64(0),
                        reader.GetString(1),
                        reader.GetString(2),
                        reader.GetString(3),
                        SqliteValues.FromUnixMs(reader.GetInt64(5)),
                        SqliteValues.FromUnixMs(reader.GetInt64(4)),
                        null,
                        reader.IsDBNull(6) ? null : reader.GetString(6),
                        reader.IsDBNull(7) ? null : SqliteValues.FromUnixMs(reader.GetInt64(7)),
                        reader.GetInt64(8) != 0));
                }
            }

            if (page.Count > 0)
            {
                var links = connection.Statement(ExportedPage.CampaignsSql);
                links.Parameters.Add(new SqliteParameter("@first", SqliteType.Integer) { Value = page[0].Id });
                links.Parameters.Add(new SqliteParameter("@last", SqliteType.Integer) { Value = page[^1].Id });
                var found = new List<(long, string)>();
                await using var reader = await links.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    found.Add((reader.GetInt64(0), reader.GetString(1)));
                }

                ExportedPage.Link(page, found);
            }

            return page;
        }, cancellationToken);

    public Task<IReadOnlyList<string>> ReadKeysAsync(EventQuery query, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<string>>(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = new SqliteEventSearchSql(command.Parameters).WriteKeys(query);
            var keys = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (keys.Count < limit && await reader.ReadAsync(ct))
            {
                keys.Add(reader.GetString(0));
            }

            return keys;
        }, cancellationToken);
}
