using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Pulse.Core;
using Pulse.Core.Events;
using Pulse.Core.Query;
using Pulse.Core.Sdk;
using Pulse.Sqlite.Query;

namespace Pulse.Sqlite;

/// <summary>
/// Events with their properties: the list as JSON on the event row (returned as written) and one indexed
/// row per property in <c>event_properties</c> (searched by the where DSL). SQL text is built from constants
/// only; every value is a parameter.
/// </summary>
/// <remarks>
/// The embedded database has one writer, so what runs while it holds the write lock is what limits throughput.
/// The JSON and the numeric values are worked out before taking it; the commands stay compiled on the writer
/// connection (<see cref="WriterCommands{T}"/>); an event's properties go in with one statement; and the new id is
/// read with <c>sqlite3_last_insert_rowid</c> rather than a RETURNING reader. Measured under scenario (b)
/// (docs/performance.md, "Embedded mode"): 64 to 52 µs of the writer's CPU per event.
/// </remarks>
public sealed partial class SqliteEventStore(SqliteDatabase database) : IEventStore, ISdkEventStore
{
    /// <summary>Message ids forgotten per transaction, so the cleanup never holds the writer for long.</summary>
    private const int DeleteChunk = 5000;

    /// <summary>Properties per INSERT statement; an event with more uses several.</summary>
    private const int PropertiesPerStatement = 8;

    private readonly WriterCommands<InsertCommands> _commands = new(connection => new InsertCommands(connection));

    /// <summary>The per-minute counts (<c>event_minutes</c>), added in each batch's transaction.</summary>
    private readonly SqliteEventMinutes _minutes = new();

    public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<EventWrite> events, CancellationToken cancellationToken)
    {
        var rows = new EventRow[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            rows[i] = new EventRow(events[i]);
        }

        var tally = EventMinuteTally.Of(events);
        return database.WriteAsync<IReadOnlyList<long>>((connection, transaction, _) =>
        {
            var commands = _commands.For(connection);
            commands.Enlist(transaction);
            var ids = new long[rows.Length];
            for (var i = 0; i < rows.Length; i++)
            {
                ids[i] = commands.Insert(connection, rows[i]);
            }

            _minutes.Add(connection, transaction, tally);
            return Task.FromResult<IReadOnlyList<long>>(ids);
        }, cancellationToken);
    }

    /// <summary>
    /// SDK messages in one transaction on the single writer, so claiming a message id is exact: the id's row is
    /// inserted unless present (an earlier commit, or an earlier copy in this transaction), and only a message that
    /// claimed its id writes its event, attributes and alias.
    /// </summary>
    public Task<IReadOnlyList<long?>> AppendAsync(IReadOnlyList<SdkWrite> messages, CancellationToken cancellationToken)
    {
        var rows = new EventRow[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            rows[i] = new EventRow(messages[i].Event);
        }

        var tally = EventMinuteTally.Of(messages.Select(m => m.Event));
        return database.WriteAsync<IReadOnlyList<long?>>((connection, transaction, _) =>
        {
            var commands = _commands.For(connection);
            commands.Enlist(transaction);
            var ids = new long?[rows.Length];
            for (var i = 0; i < rows.Length; i++)
            {
                var message = messages[i];
                if (!commands.Claim(connection, message.MessageId, message.Event.CreatedAt))
                {
                    tally.Remove(message.Event.Timestamp);
                    continue;
                }

                ids[i] = commands.Insert(connection, rows[i], new SdkColumns(message.Message, message.SentAt, message.TimeClamped));
                if (message.SetAttributes is not null || message.SetOnceAttributes is not null)
                {
                    MergeAttributes(connection, transaction, message);
                }

                if (message.AliasUserId is { } alias)
                {
                    using var link = connection.Command(
                            "INSERT INTO user_aliases (alias_user_id, user_id, created_at) VALUES ($a, $u, $t) ON CONFLICT (alias_user_id) DO NOTHING",
                            transaction)
                        .With("$a", alias).With("$u", message.Event.UserId).With("$t", SqliteValues.ToUnixMs(message.Event.CreatedAt));
                    link.ExecuteNonQuery();
                }
            }

            _minutes.Add(connection, transaction, tally);
            return Task.FromResult<IReadOnlyList<long?>>(ids);
        }, cancellationToken);
    }

    public async Task<long> DeleteMessageIdsBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            var deleted = await database.WriteAsync(async (connection, transaction, ct) =>
            {
                await using var command = connection.Command(
                        "DELETE FROM sdk_message_ids WHERE message_id IN (SELECT message_id FROM sdk_message_ids WHERE received_at < $t LIMIT $n)",
                        transaction)
                    .With("$t", SqliteValues.ToUnixMs(before)).With("$n", DeleteChunk);
                return await command.ExecuteNonQueryAsync(ct);
            }, cancellationToken);
            total += deleted;
            if (deleted < DeleteChunk)
            {
                return total;
            }
        }
    }

    private static void MergeAttributes(SqliteConnection connection, SqliteTransaction transaction, SdkWrite message)
    {
        using var read = connection.Command("SELECT user_attributes FROM users WHERE id = $u", transaction).With("$u", message.Event.UserId);
        var current = read.ExecuteScalar() as string ?? "{}";
        using var write = connection.Command("UPDATE users SET user_attributes = $a, updated_at = $t WHERE id = $u", transaction)
            .With("$a", UserAttributes.Merge(current, message.SetAttributes, message.SetOnceAttributes))
            .With("$t", SqliteValues.ToUnixMs(message.Event.CreatedAt))
            .With("$u", message.Event.UserId);
        write.ExecuteNonQuery();
    }

    /// <summary>Runs the search, driven by a selective text equality where that is faster (see <see cref="SqliteEventSearchSql"/>).</summary>
    /// <remarks>
    /// The statement stays compiled on the reader connection for the next search of the same shape (the SQL text
    /// depends on the conditions' keys, operators and order, never on their values, which are parameters).
    /// </remarks>
    public Task<IReadOnlyList<StoredEvent>> SearchAsync(EventQuery query, CancellationToken cancellationToken) =>
        database.ReadPreparedAsync<IReadOnlyList<StoredEvent>>(async (connection, ct) =>
        {
            var driver = await SqliteEventSearchSql.ChooseDriverAsync(connection, query, ct);
            using var parameters = new SqliteCommand();
            var command = connection.Statement(new SqliteEventSearchSql(parameters.Parameters, driver).Write(query));
            foreach (SqliteParameter parameter in parameters.Parameters)
            {
                command.Parameters.Add(parameter);
            }

            var results = new List<StoredEvent>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                results.Add(new StoredEvent(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    PropertyJson.Parse(reader.GetString(3)),
                    SqliteValues.FromUnixMs(reader.GetInt64(4)),
                    SqliteValues.FromUnixMs(reader.GetInt64(5)))
                {
                    Message = reader.IsDBNull(6) ? null : reader.GetString(6),
                    SentAt = reader.IsDBNull(7) ? null : SqliteValues.FromUnixMs(reader.GetInt64(7)),
                    TimeClamped = reader.GetInt64(8) != 0,
                });
            }

            return results;
        }, cancellationToken);

    /// <summary>An event's SDK columns: the message as sent (null for none), its sentAt and whether its time was clamped.</summary>
    private sealed record SdkColumns(string? Message, DateTimeOffset? SentAt, bool TimeClamped);

    /// <summary>An event with what its rows need worked out, ready to insert.</summary>
    private sealed class EventRow(EventWrite write)
    {
        public EventWrite Write { get; } = write;

        public string Json { get; } = PropertyJson.Serialize(write.Properties);

        public object[] Numbers { get; } = [.. write.Properties.Select(p => NumericValue.TryParse(p.Value, out var n) ? (object)n : DBNull.Value)];
    }

    private sealed class InsertCommands
    {
        private readonly SqliteCommand _event;
        private readonly SqliteParameter _name;
        private readonly SqliteParameter _user;
        private readonly SqliteParameter _externalId;
        private readonly SqliteParameter _json;
        private readonly SqliteParameter _created;
        private readonly SqliteParameter _time;
        private readonly SqliteCommand _link;
        private readonly SqliteCommand _sdkEvent;
        private readonly SqliteCommand _claim;
        private readonly SqliteParameter _linkCampaign;
        private readonly SqliteParameter _linkEvent;
        private readonly SqliteCommand?[] _properties = new SqliteCommand?[PropertiesPerStatement + 1];
        private readonly SqliteConnection _connection;
        private SqliteTransaction? _transaction;

        public InsertCommands(SqliteConnection connection)
        {
            _connection = connection;
            _event = connection.Command("INSERT INTO events (name, user_id, external_id, properties, created_at, event_time) VALUES ($n, $u, $x, $p, $t, $et)");
            _name = _event.Parameters.Add("$n", SqliteType.Text);
            _user = _event.Parameters.Add("$u", SqliteType.Integer);
            _externalId = _event.Parameters.Add("$x", SqliteType.Text);
            _json = _event.Parameters.Add("$p", SqliteType.Text);
            _created = _event.Parameters.Add("$t", SqliteType.Integer);
            _time = _event.Parameters.Add("$et", SqliteType.Integer);
            _link = connection.Command("INSERT INTO campaign_events (campaign_id, event_id) VALUES ($c, $e)");
            _sdkEvent = connection.Command(
                "INSERT INTO events (name, user_id, external_id, properties, created_at, event_time, message, sent_at, time_clamped) VALUES ($n, $u, $x, $p, $t, $et, $m, $s, $c)");
            foreach (var (name, type) in new[] { ("$n", SqliteType.Text), ("$u", SqliteType.Integer), ("$x", SqliteType.Text), ("$p", SqliteType.Text), ("$t", SqliteType.Integer), ("$et", SqliteType.Integer), ("$m", SqliteType.Text), ("$s", SqliteType.Integer), ("$c", SqliteType.Integer) })
            {
                _sdkEvent.Parameters.Add(name, type);
            }

            _claim = connection.Command("INSERT INTO sdk_message_ids (message_id, received_at) VALUES ($m, $t) ON CONFLICT (message_id) DO NOTHING");
            _claim.Parameters.Add("$m", SqliteType.Text);
            _claim.Parameters.Add("$t", SqliteType.Integer);
            _linkCampaign = _link.Parameters.Add("$c", SqliteType.Integer);
            _linkEvent = _link.Parameters.Add("$e", SqliteType.Integer);
        }

        public void Enlist(SqliteTransaction transaction)
        {
            _transaction = transaction;
            _event.Transaction = transaction;
            _link.Transaction = transaction;
            _sdkEvent.Transaction = transaction;
            _claim.Transaction = transaction;
            foreach (var command in _properties)
            {
                command?.Transaction = transaction;
            }
        }

        /// <summary>Inserts the message id unless it is stored; true when this call inserted it.</summary>
        public bool Claim(SqliteConnection connection, string messageId, DateTimeOffset receivedAt)
        {
            _claim.Parameters[0].Value = messageId;
            _claim.Parameters[1].Value = SqliteValues.ToUnixMs(receivedAt);
            _claim.ExecuteNonQuery();
            return SQLitePCL.raw.sqlite3_changes(connection.Handle) == 1;
        }

        public long Insert(SqliteConnection connection, EventRow row, SdkColumns? sdk = null)
        {
            var write = row.Write;
            if (sdk is null)
            {
                _name.Value = write.Name;
                _user.Value = write.UserId;
                _externalId.Value = write.ExternalId;
                _json.Value = row.Json;
                _created.Value = SqliteValues.ToUnixMs(write.CreatedAt);
                _time.Value = SqliteValues.ToUnixMs(write.Timestamp);
                _event.ExecuteNonQuery();
            }
            else
            {
                var parameters = _sdkEvent.Parameters;
                parameters[0].Value = write.Name;
                parameters[1].Value = write.UserId;
                parameters[2].Value = write.ExternalId;
                parameters[3].Value = row.Json;
                parameters[4].Value = SqliteValues.ToUnixMs(write.CreatedAt);
                parameters[5].Value = SqliteValues.ToUnixMs(write.Timestamp);
                parameters[6].Value = (object?)sdk.Message ?? DBNull.Value;
                parameters[7].Value = sdk.SentAt is { } sentAt ? SqliteValues.ToUnixMs(sentAt) : DBNull.Value;
                parameters[8].Value = sdk.TimeClamped ? 1 : 0;
                _sdkEvent.ExecuteNonQuery();
            }

            var id = SQLitePCL.raw.sqlite3_last_insert_rowid(connection.Handle);

            var properties = write.Properties;
            for (var start = 0; start < properties.Count; start += PropertiesPerStatement)
            {
                var count = Math.Min(PropertiesPerStatement, properties.Count - start);
                var command = Properties(count);
                var parameters = command.Parameters;
                for (var j = 0; j < count; j++)
                {
                    parameters[(j * 4) + 0].Value = id;
                    parameters[(j * 4) + 1].Value = properties[start + j].Key;
                    parameters[(j * 4) + 2].Value = properties[start + j].Value;
                    parameters[(j * 4) + 3].Value = row.Numbers[start + j];
                }

                command.ExecuteNonQuery();
            }

            if (write.CampaignId is { } campaignId)
            {
                _linkCampaign.Value = campaignId;
                _linkEvent.Value = id;
                _link.ExecuteNonQuery();
            }

            return id;
        }

        /// <summary>The INSERT of <paramref name="count"/> property rows, created the first time it is needed.</summary>
        private SqliteCommand Properties(int count)
        {
            if (_properties[count] is { } kept)
            {
                return kept;
            }

            var command = _connection.CreateCommand();
            var sql = new StringBuilder("INSERT INTO event_properties (event_id, key, value, num_value) VALUES ");
            for (var j = 0; j < count; j++)
            {
                sql.Append(j == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"($e{j}, $k{j}, $v{j}, $n{j})");
                command.Parameters.Add($"$e{j}", SqliteType.Integer);
                command.Parameters.Add($"$k{j}", SqliteType.Text);
                command.Parameters.Add($"$v{j}", SqliteType.Text);
                command.Parameters.Add($"$n{j}", SqliteType.Real);
            }

            command.CommandText = sql.ToString();
            command.Transaction = _transaction;
            return _properties[count] = command;
        }
    }
}
