using Npgsql;
using Pulse.Core.Tracking;

namespace Pulse.Postgres.Tracking;

/// <summary>
/// Stores tracked events with one <c>unnest</c> insert per batch and, in the same transaction, applies counts to
/// <c>stat_minutes</c>, <c>stat_component_minutes</c> and <c>stat_totals</c> (server mode does that only while Redis is
/// unreachable).
/// </summary>
public sealed class PostgresTrackedEventStore(PostgresWriteDataSource writes) : ITrackedEventStore
{
    private const string InsertEvents = """
        INSERT INTO tracked_events (type, user_id, session_id, component_id, element_id, keyword, post_id, occurred_at)
        SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::bigint[], $8::timestamptz[])
        """;

    // Inserts missing rows with 0 and locks existing ones (DO UPDATE waits for, then reads, the latest committed
    // version), returning each counter's current value. Key order keeps lock order the same for every writer.
    private const string LockMinutes = """
        INSERT INTO stat_minutes AS s (type, component_id, post_id, keyword, minute, count)
        SELECT type, component_id, post_id, keyword, minute, 0
        FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::timestamptz[]) AS u(type, component_id, post_id, keyword, minute)
        ORDER BY type, component_id, post_id, keyword COLLATE "C", minute
        ON CONFLICT (type, component_id, post_id, keyword, minute) DO UPDATE SET count = s.count
        RETURNING s.type, s.component_id, s.post_id, s.keyword, s.minute, s.count
        """;

    private const string SetMinutes = """
        UPDATE stat_minutes AS s SET count = u.count
        FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::timestamptz[], $6::bigint[]) AS u(type, component_id, post_id, keyword, minute, count)
        WHERE s.type = u.type AND s.component_id = u.component_id AND s.post_id = u.post_id AND s.keyword = u.keyword AND s.minute = u.minute
        """;

    private const string AddComponentMinutes = """
        INSERT INTO stat_component_minutes AS s (type, component_id, minute, count)
        SELECT type, component_id, minute, sum(count)
        FROM unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::bigint[]) AS u(type, component_id, minute, count)
        GROUP BY type, component_id, minute
        ORDER BY type, component_id, minute
        ON CONFLICT (type, component_id, minute) DO UPDATE SET count = s.count + excluded.count
        """;

    private const string AddTotals = """
        INSERT INTO stat_totals AS t (type, component_id, post_id, keyword, count)
        SELECT type, component_id, post_id, keyword, sum(count)
        FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[]) AS u(type, component_id, post_id, keyword, count)
        GROUP BY type, component_id, post_id, keyword
        ORDER BY type, component_id, post_id, keyword COLLATE "C"
        ON CONFLICT (type, component_id, post_id, keyword) DO UPDATE SET count = t.count + excluded.count
        """;

    public async Task AppendAsync(IReadOnlyList<TrackedEvent> events, IReadOnlyList<CounterUpdate> counts, CancellationToken cancellationToken)
    {
        await using var connection = await writes.DataSource.OpenConnectionAsync(cancellationToken);
        if (counts.Count == 0)
        {
            // The hot path in server mode: one statement is its own transaction, no BEGIN/COMMIT round trips.
            await InsertEventsAsync(connection, null, events, cancellationToken);
            return;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await InsertEventsAsync(connection, transaction, events, cancellationToken);
        await ApplyCountsAsync(connection, transaction, counts, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task InsertEventsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<TrackedEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        var count = events.Count;
        var types = new string[count];
        var users = new long?[count];
        var sessions = new string[count];
        var components = new long[count];
        var elements = new string?[count];
        var keywords = new string?[count];
        var posts = new long?[count];
        var times = new DateTimeOffset[count];
        for (var i = 0; i < count; i++)
        {
            var tracked = events[i];
            types[i] = tracked.Type.ToWire();
            users[i] = tracked.UserId;
            sessions[i] = tracked.SessionId;
            components[i] = tracked.ComponentId;
            elements[i] = tracked.ElementId;
            keywords[i] = tracked.Keyword;
            posts[i] = tracked.PostId;
            times[i] = tracked.OccurredAt.ToUniversalTime();
        }

        await using var insert = new NpgsqlCommand(InsertEvents, connection, transaction)
            .With(types).With(users).With(sessions).With(components).With(elements).With(keywords).With(posts).With(times);
        await insert.PrepareAsync(cancellationToken); // once per connection: see PostgresEventStore.AppendAsync
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Reads and locks each counter, computes <c>max(old + add, floor)</c>, writes it and adds the change to its component's
    /// minute and to the totals.
    /// </summary>
    private static async Task ApplyCountsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<CounterUpdate> counts, CancellationToken cancellationToken)
    {
        var keys = CounterRows.From(counts.Select(u => (u.Set, u.Minute, u.Member, 0L)));
        var updates = new Dictionary<(string, long, long, string, DateTimeOffset), CounterUpdate>(counts.Count);
        foreach (var update in counts)
        {
            updates[Key(update.Set.ToWire(), update.Member.ComponentId, update.Member.PostId ?? 0, update.Member.Keyword ?? string.Empty, update.Minute)] = update;
        }

        var changed = new List<(TrackedEventType Set, DateTimeOffset Minute, CounterMember Member, long Value, long Delta)>(counts.Count);
        await using (var locking = new NpgsqlCommand(LockMinutes, connection, transaction)
            .With(keys.Types).With(keys.Components).With(keys.Posts).With(keys.Keywords).With(keys.Minutes))
        await using (var reader = await locking.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var update = updates[Key(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), reader.ReadTime(4))];
                var old = reader.GetInt64(5);
                var value = update.Apply(old);
                if (value != old)
                {
                    changed.Add((update.Set, update.Minute, update.Member, value, value - old));
                }
            }
        }

        if (changed.Count == 0)
        {
            return;
        }

        var minutes = CounterRows.From(changed.Select(c => (c.Set, c.Minute, c.Member, c.Value)));
        var totals = CounterRows.From(changed.Select(c => (c.Set, c.Minute, c.Member, c.Delta)));
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(Command(SetMinutes, minutes.Types, minutes.Components, minutes.Posts, minutes.Keywords, minutes.Minutes, minutes.Counts));
        batch.BatchCommands.Add(Command(AddComponentMinutes, totals.Types, totals.Components, totals.Minutes, totals.Counts));
        batch.BatchCommands.Add(Command(AddTotals, totals.Types, totals.Components, totals.Posts, totals.Keywords, totals.Counts));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static (string, long, long, string, DateTimeOffset) Key(string type, long component, long post, string keyword, DateTimeOffset minute) =>
        (type, component, post, keyword, minute.ToUniversalTime());

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
