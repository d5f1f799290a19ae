using Npgsql;
using NpgsqlTypes;
using Pulse.Core.Tracking;
using Pulse.Core.Transfer;

namespace Pulse.Postgres.Transfer;

/// <summary>
/// Keyset pages of <c>tracked_events</c>: one fixed statement, each filter a parameter that may be null. The search
/// pool does not prepare statements, so each page is planned with its values (a null filter drops out).
/// </summary>
public sealed class PostgresTrackedEventExportStore(PostgresSearchDataSource searches) : ITrackedEventExportStore
{
    private const string PageSql = """
        SELECT id, type, user_id, session_id, component_id, element_id, keyword, post_id, occurred_at
        FROM tracked_events
        WHERE id > $1 AND id <= $2
          AND ($3::text IS NULL OR type = $3)
          AND ($4::bigint IS NULL OR component_id = $4)
          AND ($5::timestamptz IS NULL OR occurred_at >= $5)
          AND ($6::timestamptz IS NULL OR occurred_at < $6)
        ORDER BY id
        LIMIT $7
        """;

    public async Task<long> LastIdAsync(CancellationToken cancellationToken)
    {
        await using var command = searches.DataSource.CreateCommand("SELECT coalesce(max(id), 0) FROM tracked_events");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<ExportedTrackedEvent>> ReadPageAsync(TrackedExportQuery query, CancellationToken cancellationToken)
    {
        await using var command = searches.DataSource.CreateCommand(PageSql);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = query.AfterId ?? 0L });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = query.UpToId });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)query.Type?.ToWire() ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)query.ComponentId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)query.From ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)query.To ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = query.Limit });
        var page = new List<ExportedTrackedEvent>(query.Limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
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
                reader.ReadTime(8))));
        }

        return page;
    }
}
