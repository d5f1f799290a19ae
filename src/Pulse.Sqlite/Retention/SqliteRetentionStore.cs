using System.Diagnostics;
using Pulse.Core.Retention;
using Pulse.Core.Tracking;

namespace Pulse.Sqlite.Retention;

/// <summary>
/// Deletes expired rows in chunks, each chunk one transaction through the single writer
/// (<see cref="SqliteDatabase.WriteAsync{T}"/>), so ingestion's commits interleave with the chunks and wait at most
/// one chunk. Chunks are sized by time, not by rows: each aims at <see cref="ChunkBudget"/> of the writer's time, and
/// after each the pass pauses <see cref="PauseFactor"/> times as long as the chunk held the writer, so it takes at most
/// a quarter of the writer's time. A fixed row count cannot do that: an event's cost depends on how scattered the
/// expired rows are over the tables' pages (events that arrived in time order are neighbours; a backfill's are not),
/// and scenario (r) measured a 1M-event pass of 2,000-event chunks back to back holding paced ingestion's p99.9 at
/// 434 ms. Every chunk is found through an index on the expiring time. One process owns the file, so there is no
/// other instance to take turns with.
/// </summary>
public sealed class SqliteRetentionStore(SqliteDatabase database) : IRetentionStore
{
    /// <summary>The rows (events with their properties and links; tracked events; minute counters) of a pass's first chunk.</summary>
    public const int FirstChunk = 100;

    /// <summary>The fewest and the most rows in a chunk, whatever the budget says.</summary>
    public const int MinChunk = 10, MaxChunk = 5_000;

    /// <summary>How long a chunk may hold the writer: a commit that queues behind one waits at most about this.</summary>
    public static readonly TimeSpan ChunkBudget = TimeSpan.FromMilliseconds(5);

    /// <summary>The pause after a chunk, as a multiple of the time the chunk held the writer.</summary>
    private const int PauseFactor = 3;

    // The chunk's ids are read inside the transaction that deletes them, so properties, links and import keys go with exactly those.
    private const string ExpiredEvents = "SELECT id FROM events WHERE event_time < $t ORDER BY event_time LIMIT $n";

    private const string DeleteEvents = """
        DELETE FROM event_properties WHERE event_id IN (SELECT value FROM json_each($ids));
        DELETE FROM campaign_events WHERE event_id IN (SELECT value FROM json_each($ids));
        DELETE FROM event_imports WHERE event_id IN (SELECT value FROM json_each($ids));
        DELETE FROM events WHERE id IN (SELECT value FROM json_each($ids));
        """;

    private const string DeleteTrackedEvents =
        "DELETE FROM tracked_events WHERE id IN (SELECT id FROM tracked_events WHERE occurred_at < $t ORDER BY occurred_at LIMIT $n)";

    // Per type, so the (type, minute) index finds the rows.
    private const string DeleteStatMinutes = """
        DELETE FROM stat_minutes WHERE (type, component_id, post_id, keyword, minute) IN (
            SELECT type, component_id, post_id, keyword, minute FROM stat_minutes WHERE type = $type AND minute < $t LIMIT $n)
        """;

    private const string DeleteComponentMinutes = """
        DELETE FROM stat_component_minutes WHERE (type, component_id, minute) IN (
            SELECT type, component_id, minute FROM stat_component_minutes WHERE minute < $t LIMIT $n)
        """;

    private static readonly string[] Types = [.. TrackedEventTypes.All.Select(type => type.ToWire())];

    /// <summary>Nothing to prepare: SQLite deletes in chunks, whatever the layout.</summary>
    public Task PrepareAsync(RetentionCutoffs cutoffs, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<RetentionPass?> ExpireAsync(RetentionCutoffs cutoffs, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var events = cutoffs.Events is { } events1 ? await ExpireEventsAsync(SqliteValues.ToUnixMs(events1), cancellationToken) : 0;
        var tracked = cutoffs.TrackedEvents is { } tracked1
            ? await DeleteInChunksAsync(DeleteTrackedEvents, SqliteValues.ToUnixMs(tracked1), null, cancellationToken)
            : 0;
        long minutes = 0;
        if (cutoffs.StatMinutes is { } minutes1)
        {
            foreach (var type in Types)
            {
                minutes += await DeleteInChunksAsync(DeleteStatMinutes, SqliteValues.ToUnixMs(minutes1), type, cancellationToken);
            }

            minutes += await DeleteInChunksAsync(DeleteComponentMinutes, SqliteValues.ToUnixMs(minutes1), null, cancellationToken);
        }

        return new RetentionPass(events, tracked, minutes, 0, 0);
    }

    private Task<long> ExpireEventsAsync(long before, CancellationToken cancellationToken) =>
        InChunksAsync(size => database.WriteAsync(async (connection, transaction, ct) =>
        {
            var started = Stopwatch.GetTimestamp();
            var ids = new List<long>(size);
            await using (var find = connection.Command(ExpiredEvents, transaction).With("$t", before).With("$n", size))
            await using (var reader = await find.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    ids.Add(reader.GetInt64(0));
                }
            }

            if (ids.Count > 0)
            {
                await using var delete = connection.Command(DeleteEvents, transaction).With("$ids", "[" + string.Join(',', ids) + "]");
                await delete.ExecuteNonQueryAsync(ct);
            }

            return (ids.Count, Stopwatch.GetElapsedTime(started));
        }, cancellationToken), cancellationToken);

    private Task<long> DeleteInChunksAsync(string sql, long before, string? type, CancellationToken cancellationToken) =>
        InChunksAsync(size => database.WriteAsync(async (connection, transaction, ct) =>
        {
            var started = Stopwatch.GetTimestamp();
            await using var command = connection.Command(sql, transaction).With("$t", before).With("$n", size);
            if (type is not null)
            {
                command.With("$type", type);
            }

            return (await command.ExecuteNonQueryAsync(ct), Stopwatch.GetElapsedTime(started));
        }, cancellationToken), cancellationToken);

    /// <summary>
    /// Runs <paramref name="chunk"/> (given its row count; it returns the rows it removed and how long it held the writer,
    /// which leaves out the wait for the writer and the commit's sync) until it removes fewer rows than it was given,
    /// sizing each chunk from the last one's time and pausing after each; returns the rows removed.
    /// </summary>
    private static async Task<long> InChunksAsync(Func<int, Task<(int Removed, TimeSpan Held)>> chunk, CancellationToken cancellationToken)
    {
        long total = 0;
        var size = FirstChunk;
        while (true)
        {
            var (removed, held) = await chunk(size);
            total += removed;
            if (removed < size)
            {
                return total;
            }

            await Task.Delay(held * PauseFactor, cancellationToken);
            size = NextChunk(size, held);
        }
    }

    /// <summary>The next chunk's rows: as many as fit the budget at the last chunk's rate, at most halved or doubled per step.</summary>
    internal static int NextChunk(int size, TimeSpan held)
    {
        var fit = held <= TimeSpan.Zero ? size * 2 : (int)Math.Min(int.MaxValue, Math.Round(size * (ChunkBudget / held)));
        return Math.Clamp(fit, Math.Max(MinChunk, size / 2), Math.Min(MaxChunk, size * 2));
    }
}
