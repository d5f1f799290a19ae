using Microsoft.Data.Sqlite;
using Pulse.Core.Tracking;

namespace Pulse.Sqlite.Tracking;

/// <summary>
/// Stores tracked events and applies their counts (members' minutes, components' minutes, totals) in one SQLite
/// transaction. Writers are serialised by <see cref="SqliteDatabase"/>, so reading a counter and writing its new value
/// cannot interleave with another writer.
/// </summary>
public sealed class SqliteTrackedEventStore(SqliteDatabase database) : ITrackedEventStore
{
    private const string InsertEvent = """
        INSERT INTO tracked_events (type, user_id, session_id, component_id, element_id, keyword, post_id, occurred_at)
        VALUES ($type, $user, $session, $component, $element, $keyword, $post, $at)
        """;

    private const string ReadMinute = """
        SELECT count FROM stat_minutes
        WHERE type = $type AND component_id = $component AND post_id = $post AND keyword = $keyword AND minute = $minute
        """;

    private const string WriteMinute = """
        INSERT INTO stat_minutes (type, component_id, post_id, keyword, minute, count)
        VALUES ($type, $component, $post, $keyword, $minute, $count)
        ON CONFLICT (type, component_id, post_id, keyword, minute) DO UPDATE SET count = excluded.count
        """;

    private const string AddComponentMinute = """
        INSERT INTO stat_component_minutes (type, component_id, minute, count)
        VALUES ($type, $component, $minute, $count)
        ON CONFLICT (type, component_id, minute) DO UPDATE SET count = count + excluded.count
        """;

    private const string AddTotal = """
        INSERT INTO stat_totals (type, component_id, post_id, keyword, count)
        VALUES ($type, $component, $post, $keyword, $count)
        ON CONFLICT (type, component_id, post_id, keyword) DO UPDATE SET count = count + excluded.count
        """;

    public Task AppendAsync(IReadOnlyList<TrackedEvent> events, IReadOnlyList<CounterUpdate> counts, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction, ct) =>
        {
            await InsertEventsAsync(connection, transaction, events, ct);
            await ApplyCountsAsync(connection, transaction, counts, ct);
            return true;
        }, cancellationToken);

    private static async Task InsertEventsAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<TrackedEvent> events, CancellationToken ct)
    {
        if (events.Count == 0)
        {
            return;
        }

        await using var insert = connection.Command(InsertEvent, transaction);
        var type = insert.Parameters.Add("$type", SqliteType.Text);
        var user = insert.Parameters.Add("$user", SqliteType.Integer);
        var session = insert.Parameters.Add("$session", SqliteType.Text);
        var component = insert.Parameters.Add("$component", SqliteType.Integer);
        var element = insert.Parameters.Add("$element", SqliteType.Text);
        var keyword = insert.Parameters.Add("$keyword", SqliteType.Text);
        var post = insert.Parameters.Add("$post", SqliteType.Integer);
        var at = insert.Parameters.Add("$at", SqliteType.Integer);
        foreach (var tracked in events)
        {
            type.Value = tracked.Type.ToWire();
            user.Value = (object?)tracked.UserId ?? DBNull.Value;
            session.Value = tracked.SessionId;
            component.Value = tracked.ComponentId;
            element.Value = (object?)tracked.ElementId ?? DBNull.Value;
            keyword.Value = (object?)tracked.Keyword ?? DBNull.Value;
            post.Value = (object?)tracked.PostId ?? DBNull.Value;
            at.Value = SqliteValues.ToUnixMs(tracked.OccurredAt);
            await insert.ExecuteNonQueryAsync(ct);
        }
    }

    private static async Task ApplyCountsAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<CounterUpdate> counts, CancellationToken ct)
    {
        if (counts.Count == 0)
        {
            return;
        }

        await using var read = CounterCommand(connection, transaction, ReadMinute, withMinute: true, withCount: false);
        await using var write = CounterCommand(connection, transaction, WriteMinute, withMinute: true, withCount: true);
        await using var total = CounterCommand(connection, transaction, AddTotal, withMinute: false, withCount: true);
        // A batch's changes to one component's minute (its keywords' or posts' counts) are added up first, so the
        // component's row is written once per batch, not once per member.
        var components = new Dictionary<(string Type, long Component, long Minute), long>();
        foreach (var update in counts)
        {
            Bind(read, update);
            var stored = await read.ExecuteScalarAsync(ct);
            var old = stored is long value ? value : 0;
            var updated = update.Apply(old);
            if (updated == old)
            {
                continue;
            }

            Bind(write, update);
            write.Parameters["$count"].Value = updated;
            await write.ExecuteNonQueryAsync(ct);
            Bind(total, update);
            total.Parameters["$count"].Value = updated - old;
            await total.ExecuteNonQueryAsync(ct);
            var key = (update.Set.ToWire(), update.Member.ComponentId, SqliteValues.ToUnixMs(update.Minute));
            components[key] = components.GetValueOrDefault(key) + (updated - old);
        }

        if (components.Count == 0)
        {
            return;
        }

        await using var component = connection.Command(AddComponentMinute, transaction);
        var type = component.Parameters.Add("$type", SqliteType.Text);
        var id = component.Parameters.Add("$component", SqliteType.Integer);
        var minute = component.Parameters.Add("$minute", SqliteType.Integer);
        var delta = component.Parameters.Add("$count", SqliteType.Integer);
        foreach (var ((typeName, componentId, at), change) in components)
        {
            (type.Value, id.Value, minute.Value, delta.Value) = (typeName, componentId, at, change);
            await component.ExecuteNonQueryAsync(ct);
        }
    }

    private static SqliteCommand CounterCommand(SqliteConnection connection, SqliteTransaction transaction, string sql, bool withMinute, bool withCount)
    {
        var command = connection.Command(sql, transaction);
        command.Parameters.Add("$type", SqliteType.Text);
        command.Parameters.Add("$component", SqliteType.Integer);
        command.Parameters.Add("$post", SqliteType.Integer);
        command.Parameters.Add("$keyword", SqliteType.Text);
        if (withMinute)
        {
            command.Parameters.Add("$minute", SqliteType.Integer);
        }

        if (withCount)
        {
            command.Parameters.Add("$count", SqliteType.Integer);
        }

        return command;
    }

    private static void Bind(SqliteCommand command, CounterUpdate update)
    {
        command.Parameters["$type"].Value = update.Set.ToWire();
        command.Parameters["$component"].Value = update.Member.ComponentId;
        command.Parameters["$post"].Value = update.Member.PostId ?? 0;
        command.Parameters["$keyword"].Value = update.Member.Keyword ?? string.Empty;
        if (command.Parameters.Contains("$minute"))
        {
            command.Parameters["$minute"].Value = SqliteValues.ToUnixMs(update.Minute);
        }
    }
}
