using System.Text;
using Npgsql;
using NpgsqlTypes;
using Pulse.Core.Events;
using Pulse.Core.Query;
using Pulse.Postgres.Query;

namespace Pulse.Postgres;

/// <summary>
/// Events with their properties: the list as jsonb on the event row (returned as written) and one indexed
/// row per property in <c>event_properties</c> (searched by the where DSL). Batches are written with array
/// parameters and <c>unnest</c>, so a batch costs the same few statements whatever its size.
/// SQL text is built from constants only; every value is a parameter.
/// </summary>
public sealed class PostgresEventStore(NpgsqlDataSource dataSource) : IEventStore
{
    public async Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<EventWrite> events, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var ids = await AllocateIdsAsync(connection, transaction, events.Count, cancellationToken);

        var rows = new EventRows(events, ids);
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(Command(
            "INSERT INTO events (id, name, user_id, external_id, properties, created_at) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::jsonb[], $6::timestamptz[])",
            ids, rows.Names, rows.UserIds, rows.ExternalIds, Jsonb(rows.Json), rows.CreatedAt));
        if (rows.PropertyEventIds.Count > 0)
        {
            batch.BatchCommands.Add(Command(
                "INSERT INTO event_properties (event_id, key, value, num_value) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::float8[])",
                rows.PropertyEventIds, rows.Keys, rows.Values, rows.Numbers));
        }

        if (rows.LinkCampaignIds.Count > 0)
        {
            batch.BatchCommands.Add(Command(
                "INSERT INTO campaign_events (campaign_id, event_id) SELECT * FROM unnest($1::bigint[], $2::bigint[])",
                rows.LinkCampaignIds, rows.LinkEventIds));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ids;
    }

    public async Task<IReadOnlyList<StoredEvent>> SearchAsync(EventQuery query, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand();
        var sql = new StringBuilder("SELECT e.id, e.name, e.external_id, e.properties::text, e.created_at FROM events e WHERE true");
        if (query.EventName is not null)
        {
            AddCondition(sql, command, " AND e.name = $", query.EventName);
        }

        if (query.From is { } from)
        {
            AddCondition(sql, command, " AND e.created_at >= $", from);
        }

        if (query.To is { } to)
        {
            AddCondition(sql, command, " AND e.created_at < $", to);
        }

        if (query.AfterId is { } after)
        {
            AddCondition(sql, command, query.Descending ? " AND e.id < $" : " AND e.id > $", after);
        }

        if (query.Where is not null)
        {
            sql.Append(" AND (");
            EventWhereSql.Append(sql, command.Parameters, query.Where);
            sql.Append(')');
        }

        AddCondition(sql, command, query.Descending ? " ORDER BY e.id DESC LIMIT $" : " ORDER BY e.id LIMIT $", query.Limit);
        command.CommandText = sql.ToString();

        var results = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(new StoredEvent(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                PostgresValues.ParseProperties(reader.GetString(3)),
                reader.ReadTime(4)));
        }

        return results;
    }

    private static async Task<long[]> AllocateIdsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int count, CancellationToken cancellationToken)
    {
        // Ids are drawn up front so property and link rows can reference them in the same batch.
        await using var command = new NpgsqlCommand(
            "SELECT nextval(pg_get_serial_sequence('events', 'id')) FROM generate_series(1, $1)", connection, transaction).With(count);
        var ids = new long[count];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        for (var i = 0; await reader.ReadAsync(cancellationToken); i++)
        {
            ids[i] = reader.GetInt64(0);
        }

        Array.Sort(ids);
        return ids;
    }

    /// <summary>Appends <paramref name="fragment"/> (ending in '$') with the number of a new parameter.</summary>
    private static void AddCondition(StringBuilder sql, NpgsqlCommand command, string fragment, object value)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = value });
        sql.Append(fragment).Append(command.Parameters.Count);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] arrays)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var array in arrays)
        {
            command.Parameters.Add(array as NpgsqlParameter ?? new NpgsqlParameter { Value = array });
        }

        return command;
    }

    private static NpgsqlParameter Jsonb(string[] json) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb, Value = json };

    /// <summary>The batch pivoted into one array per column.</summary>
    private sealed class EventRows
    {
        public EventRows(IReadOnlyList<EventWrite> events, long[] ids)
        {
            var count = events.Count;
            Names = new string[count];
            UserIds = new long[count];
            ExternalIds = new string[count];
            Json = new string[count];
            CreatedAt = new DateTimeOffset[count];
            for (var i = 0; i < count; i++)
            {
                var write = events[i];
                Names[i] = write.Name;
                UserIds[i] = write.UserId;
                ExternalIds[i] = write.ExternalId;
                Json[i] = PostgresValues.PropertiesJson(write.Properties);
                CreatedAt[i] = write.CreatedAt;
                foreach (var property in write.Properties)
                {
                    PropertyEventIds.Add(ids[i]);
                    Keys.Add(property.Key);
                    Values.Add(property.Value);
                    Numbers.Add(NumericValue.TryParse(property.Value, out var number) ? number : null);
                }

                if (write.CampaignId is { } campaignId)
                {
                    LinkCampaignIds.Add(campaignId);
                    LinkEventIds.Add(ids[i]);
                }
            }
        }

        public string[] Names { get; }

        public long[] UserIds { get; }

        public string[] ExternalIds { get; }

        public string[] Json { get; }

        public DateTimeOffset[] CreatedAt { get; }

        public List<long> PropertyEventIds { get; } = [];

        public List<string> Keys { get; } = [];

        public List<string> Values { get; } = [];

        public List<double?> Numbers { get; } = [];

        public List<long> LinkCampaignIds { get; } = [];

        public List<long> LinkEventIds { get; } = [];
    }
}
