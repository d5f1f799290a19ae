using Npgsql;
using NpgsqlTypes;
using Pulse.Core;
using Pulse.Core.Events;
using Pulse.Core.Query;
using Pulse.Postgres.Query;

namespace Pulse.Postgres;

/// <summary>
/// Events with their properties: the list as json on the event row (returned as written) and one indexed
/// row per property in <c>event_properties</c> (searched by the where DSL). Batches are written with array
/// parameters and <c>unnest</c> in one statement, so a batch costs one round trip whatever its size; big
/// batches with binary COPY (see <see cref="CopyMinEvents"/>).
/// SQL text is built from constants only; every value is a parameter.
/// </summary>
public sealed class PostgresEventStore(PostgresWriteDataSource writes, PostgresSearchDataSource searches) : IEventStore
{
    /// <summary>
    /// One statement, so one round trip and its own transaction: ids come from the sequence in a CTE that
    /// the three inserts share, and the statement's implicit transaction commits all rows or none.
    /// </summary>
    private const string AppendSql = """
        WITH input AS (
            SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::json[], $5::timestamptz[], $12::timestamptz[])
                WITH ORDINALITY AS t(name, user_id, external_id, properties, created_at, event_time, ord)
        ), sequence AS MATERIALIZED (
            SELECT pg_get_serial_sequence('events', 'id')::regclass AS name
        ), ids AS (
            SELECT ord, nextval(sequence.name) AS id FROM input, sequence
        ), inserted_events AS (
            INSERT INTO events (id, name, user_id, external_id, properties, created_at, event_time)
            SELECT ids.id, input.name, input.user_id, input.external_id, input.properties, input.created_at, input.event_time
            FROM input JOIN ids USING (ord)
        ), inserted_properties AS (
            INSERT INTO event_properties (event_id, key, value, num_value)
            SELECT ids.id, p.key, p.value, p.num_value
            FROM unnest($6::bigint[], $7::text[], $8::text[], $9::float8[]) AS p(ord, key, value, num_value) JOIN ids USING (ord)
        ), inserted_links AS (
            INSERT INTO campaign_events (campaign_id, event_id)
            SELECT l.campaign_id, ids.id
            FROM unnest($10::bigint[], $11::bigint[]) AS l(ord, campaign_id) JOIN ids USING (ord)
        )
        SELECT id FROM ids ORDER BY ord
        """;

    // The sequence is looked up once, not per row (see the MATERIALIZED CTE of AppendSql).
    private const string ReserveIdsSql = """
        WITH sequence AS MATERIALIZED (SELECT pg_get_serial_sequence('events', 'id')::regclass AS name)
        SELECT nextval(sequence.name) FROM sequence, generate_series(1, $1)
        """;

    /// <summary>
    /// Batches of at least this many events go in with binary COPY, smaller ones as one statement. COPY costs
    /// PostgreSQL less per row (multi-row heap inserts) but four more round trips per batch, so it only pays
    /// for big batches (measured: 500-event requests 101 -> 110 per second; single-event requests, whose
    /// batches hold 10-40 events, 14.5k -> 12.1k per second).
    /// </summary>
    public const int CopyMinEvents = 200;

    public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<EventWrite> events, CancellationToken cancellationToken) =>
        events.Count >= CopyMinEvents ? CopyAsync(events, cancellationToken) : InsertAsync(events, cancellationToken);

    /// <summary>
    /// One transaction: ids reserved from the sequence first (unused ones are gaps, as after any rollback), then
    /// a binary COPY into each of the three tables. All rows commit or none.
    /// </summary>
    private async Task<IReadOnlyList<long>> CopyAsync(IReadOnlyList<EventWrite> events, CancellationToken cancellationToken)
    {
        await using var connection = await writes.DataSource.OpenConnectionAsync(cancellationToken);
        var ids = new long[events.Count];
        await using (var reserve = new NpgsqlCommand(ReserveIdsSql, connection))
        {
            reserve.Parameters.Add(new NpgsqlParameter { Value = events.Count });
            await reserve.PrepareAsync(cancellationToken);
            await using var reader = await reserve.ExecuteReaderAsync(cancellationToken);
            for (var i = 0; await reader.ReadAsync(cancellationToken); i++)
            {
                ids[i] = reader.GetInt64(0);
            }
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY events (id, name, user_id, external_id, properties, created_at, event_time) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var i = 0; i < events.Count; i++)
            {
                var write = events[i];
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(ids[i], NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(write.Name, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(write.UserId, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(write.ExternalId, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(PropertyJson.Serialize(write.Properties), NpgsqlDbType.Json, cancellationToken);
                await copy.WriteAsync(write.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(write.Timestamp, NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY event_properties (event_id, key, value, num_value) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var i = 0; i < events.Count; i++)
            {
                foreach (var property in events[i].Properties)
                {
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync(ids[i], NpgsqlDbType.Bigint, cancellationToken);
                    await copy.WriteAsync(property.Key, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(property.Value, NpgsqlDbType.Text, cancellationToken);
                    if (NumericValue.TryParse(property.Value, out var number))
                    {
                        await copy.WriteAsync(number, NpgsqlDbType.Double, cancellationToken);
                    }
                    else
                    {
                        await copy.WriteNullAsync(cancellationToken);
                    }
                }
            }

            await copy.CompleteAsync(cancellationToken);
        }

        if (events.Any(write => write.CampaignId is not null))
        {
            await using var copy = await connection.BeginBinaryImportAsync(
                "COPY campaign_events (campaign_id, event_id) FROM STDIN (FORMAT BINARY)", cancellationToken);
            for (var i = 0; i < events.Count; i++)
            {
                if (events[i].CampaignId is { } campaignId)
                {
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync(campaignId, NpgsqlDbType.Bigint, cancellationToken);
                    await copy.WriteAsync(ids[i], NpgsqlDbType.Bigint, cancellationToken);
                }
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return ids;
    }

    private async Task<IReadOnlyList<long>> InsertAsync(IReadOnlyList<EventWrite> events, CancellationToken cancellationToken)
    {
        var rows = new EventRows(events);
        await using var connection = await writes.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(AppendSql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Names });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.UserIds });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.ExternalIds });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Json, Value = rows.Json });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.CreatedAt });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.PropertyOrdinals });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Keys });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Values });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Numbers });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.LinkOrdinals });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.LinkCampaignIds });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Timestamps });

        // Prepared explicitly (a no-op once this connection has it): parsing and analysing this statement cost more
        // than executing it for small batches.
        await command.PrepareAsync(cancellationToken);
        var ids = new long[events.Count];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        for (var i = 0; await reader.ReadAsync(cancellationToken); i++)
        {
            ids[i] = reader.GetInt64(0);
        }

        return ids;
    }

    public async Task<IReadOnlyList<StoredEvent>> SearchAsync(EventQuery query, CancellationToken cancellationToken)
    {
        await using var command = searches.DataSource.CreateCommand();
        command.CommandText = new PostgresEventSearchSql(command.Parameters).Write(query);

        var results = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(new StoredEvent(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                PropertyJson.Parse(reader.GetString(3)),
                reader.ReadTime(4),
                reader.ReadTime(5)));
        }

        return results;
    }

    /// <summary>The batch pivoted into one array per column.</summary>
    private sealed class EventRows
    {
        public EventRows(IReadOnlyList<EventWrite> events)
        {
            var count = events.Count;
            Names = new string[count];
            UserIds = new long[count];
            ExternalIds = new string[count];
            Json = new string[count];
            CreatedAt = new DateTimeOffset[count];
            Timestamps = new DateTimeOffset[count];
            for (var i = 0; i < count; i++)
            {
                var write = events[i];
                Names[i] = write.Name;
                UserIds[i] = write.UserId;
                ExternalIds[i] = write.ExternalId;
                Json[i] = PropertyJson.Serialize(write.Properties);
                CreatedAt[i] = write.CreatedAt;
                Timestamps[i] = write.Timestamp;
                foreach (var property in write.Properties)
                {
                    PropertyOrdinals.Add(i + 1);
                    Keys.Add(property.Key);
                    Values.Add(property.Value);
                    Numbers.Add(NumericValue.TryParse(property.Value, out var number) ? number : null);
                }

                if (write.CampaignId is { } campaignId)
                {
                    LinkOrdinals.Add(i + 1);
                    LinkCampaignIds.Add(campaignId);
                }
            }
        }

        public string[] Names { get; }

        public long[] UserIds { get; }

        public string[] ExternalIds { get; }

        public string[] Json { get; }

        public DateTimeOffset[] CreatedAt { get; }

        public DateTimeOffset[] Timestamps { get; }

        /// <summary>1-based position of each property's event in the batch (unnest's ordinality).</summary>
        public List<long> PropertyOrdinals { get; } = [];

        public List<string> Keys { get; } = [];

        public List<string> Values { get; } = [];

        public List<double?> Numbers { get; } = [];

        public List<long> LinkCampaignIds { get; } = [];

        public List<long> LinkOrdinals { get; } = [];
    }
}
