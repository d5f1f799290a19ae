using Npgsql;
using NpgsqlTypes;
using Pulse.Core;
using Pulse.Core.Events;
using Pulse.Core.Query;
using Pulse.Core.Sdk;
using Pulse.Postgres.Query;

namespace Pulse.Postgres;

/// <summary>
/// Events with their properties: the list as json on the event row (returned as written) and one indexed
/// row per property in <c>event_properties</c> (searched by the where DSL). Batches are written with array
/// parameters and <c>unnest</c> in one statement, so a batch costs one round trip whatever its size; big
/// batches with binary COPY (see <see cref="CopyMinEvents"/>). Properties and campaign links carry their event's time,
/// the partition key all three tables share (docs/lifecycle.md).
/// SQL text is built from constants only; every value is a parameter.
/// </summary>
public sealed partial class PostgresEventStore(PostgresWriteDataSource writes, PostgresSearchDataSource searches) : IEventStore, ISdkEventStore
{
    /// <summary>Message ids forgotten per statement, so the cleanup never holds many row locks at once.</summary>
    private const int DeleteChunk = 5000;

    /// <summary>
    /// Claims message ids: inserted in one order in every transaction (sorted), so two transactions claiming the same
    /// ids wait for each other instead of deadlocking; a conflicting id waits for the other transaction's outcome and
    /// is skipped if it committed. Returns the ids this transaction inserted.
    /// </summary>
    private const string ClaimSql = """
        INSERT INTO sdk_message_ids (message_id, received_at)
        SELECT m.id, m.received_at FROM unnest($1::text[], $2::timestamptz[]) AS m(id, received_at) ORDER BY m.id COLLATE "C"
        ON CONFLICT (message_id) DO NOTHING
        RETURNING message_id
        """;

    /// <summary><see cref="AppendSql"/> with the SDK's columns: the message as sent, its sentAt and whether its time was clamped.</summary>
    private const string AppendSdkSql = """
        WITH input AS (
            SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::json[], $5::timestamptz[], $12::timestamptz[], $16::json[], $17::timestamptz[], $18::boolean[])
                WITH ORDINALITY AS t(name, user_id, external_id, properties, created_at, event_time, message, sent_at, time_clamped, ord)
        ), sequence AS MATERIALIZED (
            SELECT pg_get_serial_sequence('events', 'id')::regclass AS name
        ), ids AS (
            SELECT ord, nextval(sequence.name) AS id, input.event_time FROM input, sequence
        ), inserted_events AS (
            INSERT INTO events (id, name, user_id, external_id, properties, created_at, event_time, message, sent_at, time_clamped)
            SELECT ids.id, input.name, input.user_id, input.external_id, input.properties, input.created_at, input.event_time,
                   input.message, input.sent_at, input.time_clamped
            FROM input JOIN ids USING (ord)
        """ + InsertPropertiesAndLinks;

    /// <summary>The end of both append statements: the properties and campaign links of the events in <c>ids</c>, and their minutes' counts.</summary>
    private const string InsertPropertiesAndLinks = PostgresEventMinutes.CountedCte + """
        ), inserted_properties AS (
            INSERT INTO event_properties (event_id, key, value, num_value, event_time)
            SELECT ids.id, p.key, p.value, p.num_value, ids.event_time
            FROM unnest($6::bigint[], $7::text[], $8::text[], $9::float8[]) AS p(ord, key, value, num_value) JOIN ids USING (ord)
        ), inserted_links AS (
            INSERT INTO campaign_events (campaign_id, event_id, event_time)
            SELECT l.campaign_id, ids.id, ids.event_time
            FROM unnest($10::bigint[], $11::bigint[]) AS l(ord, campaign_id) JOIN ids USING (ord)
        )
        SELECT id FROM ids ORDER BY ord
        """;

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
            SELECT ord, nextval(sequence.name) AS id, input.event_time FROM input, sequence
        ), inserted_events AS (
            INSERT INTO events (id, name, user_id, external_id, properties, created_at, event_time)
            SELECT ids.id, input.name, input.user_id, input.external_id, input.properties, input.created_at, input.event_time
            FROM input JOIN ids USING (ord)
        """ + InsertPropertiesAndLinks;

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
        var ids = await ReserveIdsAsync(connection, events.Count, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await CopyRowsAsync(connection, events, ids, sdk: null, cancellationToken);
        await PostgresEventMinutes.AddAsync(connection, transaction, EventMinuteTally.Of(events), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ids;
    }

    private static async Task<long[]> ReserveIdsAsync(NpgsqlConnection connection, int count, CancellationToken cancellationToken)
    {
        var ids = new long[count];
        await using var reserve = new NpgsqlCommand(ReserveIdsSql, connection);
        reserve.Parameters.Add(new NpgsqlParameter { Value = count });
        await reserve.PrepareAsync(cancellationToken);
        await using var reader = await reserve.ExecuteReaderAsync(cancellationToken);
        for (var i = 0; await reader.ReadAsync(cancellationToken); i++)
        {
            ids[i] = reader.GetInt64(0);
        }

        return ids;
    }

    /// <summary>
    /// A binary COPY into each of the three tables, inside the caller's transaction; with <paramref name="sdk"/> (one per
    /// event), the events' SDK columns too (a null message: none, as an imported CRM event).
    /// </summary>
    private static async Task CopyRowsAsync(
        NpgsqlConnection connection, IReadOnlyList<EventWrite> events, long[] ids, IReadOnlyList<SdkColumns>? sdk, CancellationToken cancellationToken)
    {
        await using (var copy = await connection.BeginBinaryImportAsync(sdk is null
            ? "COPY events (id, name, user_id, external_id, properties, created_at, event_time) FROM STDIN (FORMAT BINARY)"
            : "COPY events (id, name, user_id, external_id, properties, created_at, event_time, message, sent_at, time_clamped) FROM STDIN (FORMAT BINARY)",
            cancellationToken))
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
                if (sdk is not null)
                {
                    var message = sdk[i];
                    if (message.Message is { } text)
                    {
                        await copy.WriteAsync(text, NpgsqlDbType.Json, cancellationToken);
                    }
                    else
                    {
                        await copy.WriteNullAsync(cancellationToken);
                    }

                    if (message.SentAt is { } sentAt)
                    {
                        await copy.WriteAsync(sentAt, NpgsqlDbType.TimestampTz, cancellationToken);
                    }
                    else
                    {
                        await copy.WriteNullAsync(cancellationToken);
                    }

                    await copy.WriteAsync(message.TimeClamped, NpgsqlDbType.Boolean, cancellationToken);
                }
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY event_properties (event_id, key, value, num_value, event_time) FROM STDIN (FORMAT BINARY)", cancellationToken))
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

                    await copy.WriteAsync(events[i].Timestamp, NpgsqlDbType.TimestampTz, cancellationToken);
                }
            }

            await copy.CompleteAsync(cancellationToken);
        }

        if (events.Any(write => write.CampaignId is not null))
        {
            await using var copy = await connection.BeginBinaryImportAsync(
                "COPY campaign_events (campaign_id, event_id, event_time) FROM STDIN (FORMAT BINARY)", cancellationToken);
            for (var i = 0; i < events.Count; i++)
            {
                if (events[i].CampaignId is { } campaignId)
                {
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync(campaignId, NpgsqlDbType.Bigint, cancellationToken);
                    await copy.WriteAsync(ids[i], NpgsqlDbType.Bigint, cancellationToken);
                    await copy.WriteAsync(events[i].Timestamp, NpgsqlDbType.TimestampTz, cancellationToken);
                }
            }

            await copy.CompleteAsync(cancellationToken);
        }
    }

    private async Task<IReadOnlyList<long>> InsertAsync(IReadOnlyList<EventWrite> events, CancellationToken cancellationToken)
    {
        var rows = new EventRows(events);
        await using var connection = await writes.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(AppendSql, connection);
        rows.AddParameters(command.Parameters);

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

    /// <summary>
    /// SDK messages in one transaction: the message ids are claimed first (<see cref="ClaimSql"/>; an id repeated in
    /// the list is claimed by its first copy), then the events of the claimed ones are inserted in one statement, the
    /// users whose attributes change are locked in id order, merged in message order and updated, and aliases recorded.
    /// </summary>
    public async Task<IReadOnlyList<long?>> AppendAsync(IReadOnlyList<SdkWrite> messages, CancellationToken cancellationToken)
    {
        var result = new long?[messages.Count];
        var first = new Dictionary<string, int>(messages.Count, StringComparer.Ordinal);
        for (var i = 0; i < messages.Count; i++)
        {
            first.TryAdd(messages[i].MessageId, i);
        }

        await using var connection = await writes.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        await using (var claim = new NpgsqlCommand(ClaimSql, connection, transaction))
        {
            claim.Parameters.Add(new NpgsqlParameter { Value = first.Keys.ToArray() });
            claim.Parameters.Add(new NpgsqlParameter { Value = first.Values.Select(i => messages[i].Event.CreatedAt).ToArray() });
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(reader.GetString(0));
            }
        }

        var stored = new List<int>(claimed.Count);
        foreach (var (messageId, index) in first)
        {
            if (claimed.Contains(messageId))
            {
                stored.Add(index);
            }
        }

        stored.Sort();
        if (stored.Count > 0)
        {
            var kept = stored.Select(i => messages[i]).ToList();
            if (kept.Count >= CopyMinEvents)
            {
                // Big batches by binary COPY, as the CRM's (ids reserved inside this transaction: a rollback leaves gaps).
                var ids = await ReserveIdsAsync(connection, kept.Count, cancellationToken);
                await CopyRowsAsync(connection, [.. kept.Select(m => m.Event)], ids, [.. kept.Select(m => new SdkColumns(m.Message, m.SentAt, m.TimeClamped))], cancellationToken);
                await PostgresEventMinutes.AddAsync(connection, transaction, EventMinuteTally.Of(kept.Select(m => m.Event)), cancellationToken);
                for (var j = 0; j < ids.Length; j++)
                {
                    result[stored[j]] = ids[j];
                }
            }
            else
            {
                var ids = await InsertSdkEventsAsync(connection, transaction, kept, cancellationToken);
                for (var j = 0; j < ids.Length; j++)
                {
                    result[stored[j]] = ids[j];
                }
            }

            await MergeAttributesAsync(connection, transaction, kept, cancellationToken);
            await LinkAliasesAsync(connection, transaction, kept, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private static async Task<long[]> InsertSdkEventsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<SdkWrite> messages, CancellationToken cancellationToken)
    {
        var rows = new EventRows([.. messages.Select(m => m.Event)]);
        await using var command = new NpgsqlCommand(AppendSdkSql, connection, transaction);
        rows.AddParameters(command.Parameters);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Json, Value = messages.Select(m => m.Message).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, Value = messages.Select(m => m.SentAt).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = messages.Select(m => m.TimeClamped).ToArray() });
        var ids = new long[messages.Count];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        for (var j = 0; await reader.ReadAsync(cancellationToken); j++)
        {
            ids[j] = reader.GetInt64(0);
        }

        return ids;
    }

    public async Task<long> DeleteMessageIdsBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            await using var command = writes.DataSource.CreateCommand(
                "DELETE FROM sdk_message_ids WHERE message_id IN (SELECT message_id FROM sdk_message_ids WHERE received_at < $1 LIMIT $2)");
            command.Parameters.Add(new NpgsqlParameter { Value = before });
            command.Parameters.Add(new NpgsqlParameter { Value = DeleteChunk });
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            if (deleted < DeleteChunk)
            {
                return total;
            }
        }
    }

    private static async Task MergeAttributesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<SdkWrite> messages, CancellationToken cancellationToken)
    {
        var changing = messages.Where(m => m.SetAttributes is not null || m.SetOnceAttributes is not null).ToList();
        if (changing.Count == 0)
        {
            return;
        }

        var attributes = new Dictionary<long, string>();
        await using (var read = new NpgsqlCommand("SELECT id, user_attributes FROM users WHERE id = ANY($1) ORDER BY id FOR UPDATE", connection, transaction))
        {
            read.Parameters.Add(new NpgsqlParameter { Value = changing.Select(m => m.Event.UserId).Distinct().ToArray() });
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                attributes[reader.GetInt64(0)] = reader.GetString(1);
            }
        }

        foreach (var message in changing)
        {
            if (attributes.TryGetValue(message.Event.UserId, out var current))
            {
                attributes[message.Event.UserId] = UserAttributes.Merge(current, message.SetAttributes, message.SetOnceAttributes);
            }
        }

        await using var write = new NpgsqlCommand(
            "UPDATE users SET user_attributes = u.attributes, updated_at = $3 FROM unnest($1::bigint[], $2::text[]) AS u(id, attributes) WHERE users.id = u.id",
            connection, transaction);
        write.Parameters.Add(new NpgsqlParameter { Value = attributes.Keys.ToArray() });
        write.Parameters.Add(new NpgsqlParameter { Value = attributes.Values.ToArray() });
        write.Parameters.Add(new NpgsqlParameter { Value = changing[^1].Event.CreatedAt });
        await write.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task LinkAliasesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<SdkWrite> messages, CancellationToken cancellationToken)
    {
        var links = new Dictionary<long, SdkWrite>();
        foreach (var message in messages)
        {
            if (message.AliasUserId is { } alias)
            {
                links.TryAdd(alias, message);
            }
        }

        if (links.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(
            "INSERT INTO user_aliases (alias_user_id, user_id, created_at) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[]) ON CONFLICT (alias_user_id) DO NOTHING",
            connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = links.Keys.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = links.Values.Select(m => m.Event.UserId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = links.Values.Select(m => m.Event.CreatedAt).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
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
                reader.ReadTime(5))
            {
                Message = reader.IsDBNull(6) ? null : reader.GetString(6),
                SentAt = reader.IsDBNull(7) ? null : reader.ReadTime(7),
                TimeClamped = reader.GetBoolean(8),
            });
        }

        return results;
    }

    /// <summary>An event's SDK columns: the message as sent (null for none), its sentAt and whether its time was clamped.</summary>
    private sealed record SdkColumns(string? Message, DateTimeOffset? SentAt, bool TimeClamped);

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
            Tally = EventMinuteTally.Of(events);
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

        /// <summary>Parameters $1 to $15 of <see cref="AppendSql"/> and <see cref="AppendSdkSql"/> ($13 to $15: the minutes' counts).</summary>
        public void AddParameters(NpgsqlParameterCollection parameters)
        {
            parameters.Add(new NpgsqlParameter { Value = Names });
            parameters.Add(new NpgsqlParameter { Value = UserIds });
            parameters.Add(new NpgsqlParameter { Value = ExternalIds });
            parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Json, Value = Json });
            parameters.Add(new NpgsqlParameter { Value = CreatedAt });
            parameters.Add(new NpgsqlParameter { Value = PropertyOrdinals });
            parameters.Add(new NpgsqlParameter { Value = Keys });
            parameters.Add(new NpgsqlParameter { Value = Values });
            parameters.Add(new NpgsqlParameter { Value = Numbers });
            parameters.Add(new NpgsqlParameter { Value = LinkOrdinals });
            parameters.Add(new NpgsqlParameter { Value = LinkCampaignIds });
            parameters.Add(new NpgsqlParameter { Value = Timestamps });
            PostgresEventMinutes.AddParameters(parameters, Tally);
        }

        public string[] Names { get; }

        public long[] UserIds { get; }

        public string[] ExternalIds { get; }

        public string[] Json { get; }

        public DateTimeOffset[] CreatedAt { get; }

        public DateTimeOffset[] Timestamps { get; }

        public EventMinuteTally Tally { get; }

        /// <summary>1-based position of each property's event in the batch (unnest's ordinality).</summary>
        public List<long> PropertyOrdinals { get; } = [];

        public List<string> Keys { get; } = [];

        public List<string> Values { get; } = [];

        public List<double?> Numbers { get; } = [];

        public List<long> LinkCampaignIds { get; } = [];

        public List<long> LinkOrdinals { get; } = [];
    }
}
