using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Pulse.Core;
using Pulse.Core.Events;
using Pulse.Core.Query;
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
public sealed class SqliteEventStore(SqliteDatabase database) : IEventStore
{
    /// <summary>Properties per INSERT statement; an event with more uses several.</summary>
    private const int PropertiesPerStatement = 8;

    private readonly WriterCommands<InsertCommands> _commands = new(connection => new InsertCommands(connection));

    public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<EventWrite> events, CancellationToken cancellationToken)
    {
        var rows = new EventRow[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            rows[i] = new EventRow(events[i]);
        }

        return database.WriteAsync<IReadOnlyList<long>>((connection, transaction, _) =>
        {
            var commands = _commands.For(connection);
            commands.Enlist(transaction);
            var ids = new long[rows.Length];
            for (var i = 0; i < rows.Length; i++)
            {
                ids[i] = commands.Insert(connection, rows[i]);
            }

            return Task.FromResult<IReadOnlyList<long>>(ids);
        }, cancellationToken);
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
                    SqliteValues.FromUnixMs(reader.GetInt64(4))));
            }

            return results;
        }, cancellationToken);

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
        private readonly SqliteCommand _link;
        private readonly SqliteParameter _linkCampaign;
        private readonly SqliteParameter _linkEvent;
        private readonly SqliteCommand?[] _properties = new SqliteCommand?[PropertiesPerStatement + 1];
        private readonly SqliteConnection _connection;
        private SqliteTransaction? _transaction;

        public InsertCommands(SqliteConnection connection)
        {
            _connection = connection;
            _event = connection.Command("INSERT INTO events (name, user_id, external_id, properties, created_at) VALUES ($n, $u, $x, $p, $t)");
            _name = _event.Parameters.Add("$n", SqliteType.Text);
            _user = _event.Parameters.Add("$u", SqliteType.Integer);
            _externalId = _event.Parameters.Add("$x", SqliteType.Text);
            _json = _event.Parameters.Add("$p", SqliteType.Text);
            _created = _event.Parameters.Add("$t", SqliteType.Integer);
            _link = connection.Command("INSERT INTO campaign_events (campaign_id, event_id) VALUES ($c, $e)");
            _linkCampaign = _link.Parameters.Add("$c", SqliteType.Integer);
            _linkEvent = _link.Parameters.Add("$e", SqliteType.Integer);
        }

        public void Enlist(SqliteTransaction transaction)
        {
            _transaction = transaction;
            _event.Transaction = transaction;
            _link.Transaction = transaction;
            foreach (var command in _properties)
            {
                command?.Transaction = transaction;
            }
        }

        public long Insert(SqliteConnection connection, EventRow row)
        {
            var write = row.Write;
            _name.Value = write.Name;
            _user.Value = write.UserId;
            _externalId.Value = write.ExternalId;
            _json.Value = row.Json;
            _created.Value = SqliteValues.ToUnixMs(write.CreatedAt);
            _event.ExecuteNonQuery();
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
