using Microsoft.Extensions.Logging;
using Npgsql;
using Pulse.Core.Retention;

namespace Pulse.Postgres.Retention;

/// <summary>
/// Retention on PostgreSQL (docs/lifecycle.md, "Retention"). A pass holds a session advisory lock, so one instance runs
/// it at a time; then, for events (with their properties and links) and for tracked events: creates the current week's
/// and adopts rows the default partition holds for recent weeks into partitions of their own; drops every week that
/// lies wholly before the cutoff (all tables of the set in one short transaction, which waits at most
/// <see cref="LockTimeout"/> for its locks and is retried); and deletes the older rows of the week the cutoff falls in,
/// and of the default partition, in chunks of <see cref="Chunk"/>. Minute counters go in chunks too.
/// Table and partition names in SQL text come from <see cref="PartitionedTables"/> and dates formatted here, never from
/// input; values are parameters.
/// </summary>
public sealed partial class PostgresRetentionStore(NpgsqlDataSource dataSource, ILogger<PostgresRetentionStore> logger) : IRetentionStore
{
    /// <summary>Rows per chunk delete.</summary>
    public const int Chunk = 5000;

    /// <summary>How long dropping or attaching a partition waits for its locks before giving up and retrying (ingestion queues behind a waiting lock).</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromMilliseconds(200);

    private const int LockAttempts = 20;

    private const long AdvisoryLockKey = 0x50756C736552; // "PulseR"

    // The chunk is the oldest expired rows, found through (event_time, id); the properties, links and import keys of exactly those go with them.
    private const string DeleteEventsChunk = """
        WITH chunk AS (
            SELECT id, event_time FROM events WHERE event_time < $1 ORDER BY event_time LIMIT $2
        ), gone AS (
            DELETE FROM events e USING chunk WHERE e.id = chunk.id AND e.event_time = chunk.event_time RETURNING e.id, e.event_time
        ), properties AS (
            DELETE FROM event_properties p USING gone WHERE p.event_id = gone.id AND p.event_time = gone.event_time
        ), links AS (
            DELETE FROM campaign_events l USING gone WHERE l.event_id = gone.id AND l.event_time = gone.event_time
        ), imports AS (
            DELETE FROM event_imports i USING gone WHERE i.event_id = gone.id
        )
        SELECT count(*) FROM gone
        """;

    private const string DeleteTrackedChunk = """
        WITH chunk AS (SELECT id, occurred_at FROM tracked_events WHERE occurred_at < $1 ORDER BY occurred_at LIMIT $2)
        DELETE FROM tracked_events t USING chunk WHERE t.id = chunk.id AND t.occurred_at = chunk.occurred_at
        """;

    private const string DeleteStatMinutesChunk =
        "DELETE FROM stat_minutes WHERE ctid = ANY (ARRAY(SELECT ctid FROM stat_minutes WHERE minute < $1 LIMIT $2))";

    private const string DeleteStatComponentMinutesChunk =
        "DELETE FROM stat_component_minutes WHERE ctid = ANY (ARRAY(SELECT ctid FROM stat_component_minutes WHERE minute < $1 LIMIT $2))";

    private const string Partitions = """
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass
        """;

    public async Task<RetentionPass?> ExpireAsync(RetentionCutoffs cutoffs, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var session = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", session).With(AdvisoryLockKey))
        {
            if (!(bool)(await take.ExecuteScalarAsync(cancellationToken))!)
            {
                return null;
            }
        }

        try
        {
            var created = await MaintainAsync(PartitionedTables.Events, cutoffs.Events, now, cancellationToken)
                + await MaintainAsync(PartitionedTables.TrackedEvents, cutoffs.TrackedEvents, now, cancellationToken);
            var (eventWeeks, eventsDropped) = await DropExpiredWeeksAsync(PartitionedTables.Events, cutoffs.Events, cancellationToken);
            var (trackedWeeks, trackedDropped) = await DropExpiredWeeksAsync(PartitionedTables.TrackedEvents, cutoffs.TrackedEvents, cancellationToken);
            var events = eventsDropped + await DeleteInChunksAsync(DeleteEventsChunk, cutoffs.Events, scalar: true, cancellationToken);
            var tracked = trackedDropped + await DeleteInChunksAsync(DeleteTrackedChunk, cutoffs.TrackedEvents, scalar: false, cancellationToken);
            var minutes = await DeleteInChunksAsync(DeleteStatMinutesChunk, cutoffs.StatMinutes, scalar: false, cancellationToken)
                + await DeleteInChunksAsync(DeleteStatComponentMinutesChunk, cutoffs.StatMinutes, scalar: false, cancellationToken);
            return new RetentionPass(events, tracked, minutes, eventWeeks + trackedWeeks, created);
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", session).With(AdvisoryLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Partitions for the current week and, within <see cref="PostgresRetentionSchema.NextWeekWithinHours"/> of its end, the
    /// next one, and for every earlier week since the cutoff (at most <see cref="PostgresRetentionSchema.LookbackWeeks"/>
    /// back) that has rows in the default partition (backdated SDK events or imports): those rows move into it. Rows
    /// for later weeks stay in the default partition until their week comes: a partition made for a far-future time
    /// would cost every search meanwhile.
    /// </summary>
    private async Task<int> MaintainAsync(PartitionedTables set, DateTimeOffset? cutoff, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var existing = await WeeksAsync(set.Main, cancellationToken);
        var current = PartitionedTables.WeekOf(now);
        var wanted = new SortedSet<DateTimeOffset>();
        wanted.Add(current);
        wanted.Add(PartitionedTables.WeekOf(now + TimeSpan.FromHours(PostgresRetentionSchema.NextWeekWithinHours)));

        var lookback = current - (PartitionedTables.Week * PostgresRetentionSchema.LookbackWeeks);
        var from = cutoff is { } c && PartitionedTables.WeekOf(c) > lookback ? PartitionedTables.WeekOf(c) : lookback;
        await using (var command = dataSource.CreateCommand(
            $"SELECT DISTINCT date_trunc('week', {set.TimeColumn} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' FROM {set.Main}_default WHERE {set.TimeColumn} >= $1 AND {set.TimeColumn} < $2"))
        {
            command.With(from).With(current + PartitionedTables.Week);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                wanted.Add(new DateTimeOffset(reader.GetDateTime(0), TimeSpan.Zero));
            }
        }

        var created = 0;
        foreach (var week in wanted)
        {
            if (!existing.Contains(week))
            {
                await WithLockRetriesAsync(connection => CreateWeekAsync(connection, set, week, cancellationToken), cancellationToken);
                created++;
            }
        }

        return created;
    }

    /// <summary>
    /// Creates the week's partition of each table detached, moves the default partition's rows of that week into it and
    /// attaches it (ATTACH takes SHARE UPDATE EXCLUSIVE on the parent, which inserts do not wait for; CREATE ... PARTITION
    /// OF would take ACCESS EXCLUSIVE).
    /// </summary>
    private static async Task CreateWeekAsync(NpgsqlConnection connection, PartitionedTables set, DateTimeOffset week, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await SetLockTimeoutAsync(connection, transaction, cancellationToken);
        foreach (var table in set.Tables)
        {
            var partition = PartitionedTables.PartitionName(table, week);
            await using (var create = new NpgsqlCommand($"CREATE TABLE {partition} (LIKE {table} INCLUDING DEFAULTS)", connection, transaction))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var move = new NpgsqlCommand(
                $"WITH moved AS (DELETE FROM {table}_default WHERE {set.TimeColumn} >= $1 AND {set.TimeColumn} < $2 RETURNING *) INSERT INTO {partition} SELECT * FROM moved",
                connection, transaction))
            {
                move.With(week).With(week + PartitionedTables.Week);
                await move.ExecuteNonQueryAsync(cancellationToken);
            }

            // ATTACH takes no parameters; the bounds are formatted from the week here.
            var bounds = $"FROM ('{week.UtcDateTime:yyyy-MM-dd}T00:00:00Z') TO ('{(week + PartitionedTables.Week).UtcDateTime:yyyy-MM-dd}T00:00:00Z')";
            await using var attach = new NpgsqlCommand($"ALTER TABLE {table} ATTACH PARTITION {partition} FOR VALUES {bounds}", connection, transaction);
            await attach.ExecuteNonQueryAsync(cancellationToken);
            if (table == "event_properties")
            {
                await using var statistics = new NpgsqlCommand($"""
                    CREATE STATISTICS st_{partition}_key_value (ndistinct, dependencies, mcv) ON key, value FROM {partition};
                    CREATE STATISTICS st_{partition}_key_num (dependencies, mcv) ON key, num_value FROM {partition};
                    """, connection, transaction);
                await statistics.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Drops each week wholly before the cutoff, all tables of the set in one transaction; returns the weeks and the main table's rows they held.</summary>
    private async Task<(int Weeks, long Rows)> DropExpiredWeeksAsync(PartitionedTables set, DateTimeOffset? cutoff, CancellationToken cancellationToken)
    {
        if (cutoff is not { } before)
        {
            return (0, 0);
        }

        var weeks = 0;
        long rows = 0;
        foreach (var week in await WeeksAsync(set.Main, cancellationToken))
        {
            if (week + PartitionedTables.Week > before)
            {
                continue;
            }

            // Counted before the drop (a scan of the expired partition alone, no lock that writers wait for).
            await using (var count = dataSource.CreateCommand($"SELECT count(*) FROM {PartitionedTables.PartitionName(set.Main, week)}"))
            {
                rows += (long)(await count.ExecuteScalarAsync(cancellationToken))!;
            }

            if (set == PartitionedTables.Events)
            {
                await DeleteImportKeysAsync(PartitionedTables.PartitionName(set.Main, week), cancellationToken);
            }

            await WithLockRetriesAsync(async connection =>
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await SetLockTimeoutAsync(connection, transaction, cancellationToken);
                await using var drop = new NpgsqlCommand(
                    "DROP TABLE IF EXISTS " + string.Join(", ", set.Tables.Select(table => PartitionedTables.PartitionName(table, week))), connection, transaction);
                await drop.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }, cancellationToken);
            weeks++;
        }

        return (weeks, rows);
    }

    /// <summary>
    /// Removes the import keys (<c>event_imports</c>) of a week's events before the week is dropped, in chunks of
    /// <see cref="Chunk"/> in event id order, walking only the keys within the week's id range: two index probes and
    /// nothing else when no event of the week was imported.
    /// </summary>
    private async Task DeleteImportKeysAsync(string partition, CancellationToken cancellationToken)
    {
        long after, last;
        await using (var range = dataSource.CreateCommand($"SELECT min(id) - 1, max(id) FROM {partition}"))
        await using (var reader = await range.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(0))
            {
                return;
            }

            (after, last) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        while (true)
        {
            await using var command = dataSource.CreateCommand($"""
                WITH gone AS (
                    DELETE FROM event_imports WHERE event_id IN (
                        SELECT i.event_id FROM event_imports i
                        WHERE i.event_id > $1 AND i.event_id <= $2 AND EXISTS (SELECT 1 FROM {partition} e WHERE e.id = i.event_id)
                        ORDER BY i.event_id LIMIT $3)
                    RETURNING event_id)
                SELECT count(*), coalesce(max(event_id), 0) FROM gone
                """).With(after).With(last).With(Chunk);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            if (reader.GetInt64(0) < Chunk)
            {
                return;
            }

            after = reader.GetInt64(1);
        }
    }


    private async Task<long> DeleteInChunksAsync(string sql, DateTimeOffset? cutoff, bool scalar, CancellationToken cancellationToken)
    {
        if (cutoff is not { } before)
        {
            return 0;
        }

        long total = 0;
        while (true)
        {
            await using var command = dataSource.CreateCommand(sql).With(before).With(Chunk);
            var deleted = scalar ? (long)(await command.ExecuteScalarAsync(cancellationToken))! : await command.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            if (deleted < Chunk)
            {
                return total;
            }
        }
    }

    private async Task<HashSet<DateTimeOffset>> WeeksAsync(string table, CancellationToken cancellationToken)
    {
        var weeks = new HashSet<DateTimeOffset>();
        await using var command = dataSource.CreateCommand(Partitions).With(table);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (PartitionedTables.WeekOfPartition(table, reader.GetString(0)) is { } week)
            {
                weeks.Add(week);
            }
        }

        return weeks;
    }

    private static async Task SetLockTimeoutAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SET LOCAL lock_timeout = '{(int)LockTimeout.TotalMilliseconds}ms'", connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Runs <paramref name="work"/> on a connection of its own, again after a lock timeout (a long search holding the parent), up to <see cref="LockAttempts"/> times.</summary>
    private async Task WithLockRetriesAsync(Func<NpgsqlConnection, Task> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            try
            {
                await work(connection);
                return;
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.LockNotAvailable && attempt < LockAttempts)
            {
                LogLockBusy(logger, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Retention: a partition's lock was busy (attempt {Attempt}); retrying")]
    private static partial void LogLockBusy(ILogger logger, int attempt);
}
