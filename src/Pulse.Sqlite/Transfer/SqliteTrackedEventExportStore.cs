using Microsoft.Data.Sqlite;
using Pulse.Core.Tracking;
using Pulse.Core.Transfer;

namespace Pulse.Sqlite.Transfer;

/// <summary>Keyset pages of <c>tracked_events</c> by id (the rowid): one fixed statement, each filter a parameter that may be null.</summary>
public sealed class SqliteTrackedEventExportStore(SqliteDatabase database) : ITrackedEventExportStore
{
    private const string PageSql = """
        SELECT id, type, user_id, session_id, component_id, element_id, keyword, post_id, occurred_at
        FROM tracked_events
        WHERE id > $after AND id <= $upTo
          AND ($type IS NULL OR type = $type)
          AND ($component IS NULL OR component_id = $component)
          AND ($from IS NULL OR occurred_at >= $from)
          AND ($to IS NULL OR occurred_at < $to)
        ORDER BY id
        LIMIT $limit
        """;

    public Task<long> LastIdAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.Command("SELECT coalesce(max(id), 0) FROM tracked_events");
            return (long)(await command.ExecuteScalarAsync(ct))!;
        }, cancellationToken);

    public Task<IReadOnlyList<ExportedTrackedEvent>> ReadPageAsync(TrackedExportQuery query, CancellationToken cancellationToken) =>
        database.ReadPreparedAsync<IReadOnlyList<ExportedTrackedEvent>>(async (connection, ct) =>
        {
            var command = connection.Statement(PageSql);
            command.Parameters.Add(new SqliteParameter("$after", SqliteType.Integer) { Value = query.AfterId ?? 0L });
            command.Parameters.Add(new SqliteParameter("$upTo", SqliteType.Integer) { Value = query.UpToId });
            command.Parameters.Add(new SqliteParameter("$type", SqliteType.Text) { Value = (object?)query.Type?.ToWire() ?? DBNull.Value });
            command.Parameters.Add(new SqliteParameter("$component", SqliteType.Integer) { Value = (object?)query.ComponentId ?? DBNull.Value });
            command.Parameters.Add(new SqliteParameter("$from", SqliteType.Integer) { Value = query.From is { } from ? SqliteValues.ToUnixMs(from) : DBNull.Value });
            command.Parameters.Add(new SqliteParameter("$to", SqliteType.Integer) { Value = query.To is { } to ? SqliteValues.ToUnixMs(to) : DBNull.Value });
            command.Parameters.Add(new SqliteParameter("$limit", SqliteType.Integer) { Value = query.Limit });
            var page = new List<ExportedTrackedEvent>(query.Limit);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                TrackedEventTypes.TryParse(reader.GetString(1), out var type);
                page.Add(new ExportedTrackedEvent(reader.GetInt64(0), new TrackedEvent(
                    type,
                    reader.IsDBNull(2) ? null : reader.GetInt64(2),
                    reader.GetString(3),
                    reader.GetInt64(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.IsDBNull(7) ? null : reader.GetInt64(7),
                    SqliteValues.FromUnixMs(reader.GetInt64(8)))));
            }

            return page;
        }, cancellationToken);
}
