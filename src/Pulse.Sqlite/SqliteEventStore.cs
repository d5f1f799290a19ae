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
public sealed class SqliteEventStore(SqliteDatabase database) : IEventStore
{
    public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<EventWrite> events, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<long>>(async (connection, transaction, ct) =>
        {
            await using var insertEvent = connection.Command(
                "INSERT INTO events (name, user_id, external_id, properties, created_at) VALUES ($n, $u, $x, $p, $t) RETURNING id", transaction);
            var name = insertEvent.Parameters.Add("$n", SqliteType.Text);
            var user = insertEvent.Parameters.Add("$u", SqliteType.Integer);
            var externalId = insertEvent.Parameters.Add("$x", SqliteType.Text);
            var json = insertEvent.Parameters.Add("$p", SqliteType.Text);
            var created = insertEvent.Parameters.Add("$t", SqliteType.Integer);

            await using var insertProperty = connection.Command(
                "INSERT INTO event_properties (event_id, key, value, num_value) VALUES ($e, $k, $v, $n)", transaction);
            var propertyEvent = insertProperty.Parameters.Add("$e", SqliteType.Integer);
            var key = insertProperty.Parameters.Add("$k", SqliteType.Text);
            var value = insertProperty.Parameters.Add("$v", SqliteType.Text);
            var number = insertProperty.Parameters.Add("$n", SqliteType.Real);

            await using var insertLink = connection.Command(
                "INSERT INTO campaign_events (campaign_id, event_id) VALUES ($c, $e)", transaction);
            var linkCampaign = insertLink.Parameters.Add("$c", SqliteType.Integer);
            var linkEvent = insertLink.Parameters.Add("$e", SqliteType.Integer);

            var ids = new long[events.Count];
            for (var i = 0; i < events.Count; i++)
            {
                var write = events[i];
                name.Value = write.Name;
                user.Value = write.UserId;
                externalId.Value = write.ExternalId;
                json.Value = PropertyJson.Serialize(write.Properties);
                created.Value = SqliteValues.ToUnixMs(write.CreatedAt);
                var id = (long)(await insertEvent.ExecuteScalarAsync(ct))!;
                ids[i] = id;

                propertyEvent.Value = id;
                foreach (var property in write.Properties)
                {
                    key.Value = property.Key;
                    value.Value = property.Value;
                    number.Value = NumericValue.TryParse(property.Value, out var parsed) ? parsed : DBNull.Value;
                    await insertProperty.ExecuteNonQueryAsync(ct);
                }

                if (write.CampaignId is { } campaignId)
                {
                    linkCampaign.Value = campaignId;
                    linkEvent.Value = id;
                    await insertLink.ExecuteNonQueryAsync(ct);
                }
            }

            return ids;
        }, cancellationToken);

    public Task<IReadOnlyList<StoredEvent>> SearchAsync(EventQuery query, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<StoredEvent>>(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = new SqliteEventSearchSql(command.Parameters).Write(query);

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
}
