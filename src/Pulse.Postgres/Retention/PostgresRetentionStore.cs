using Microsoft.Extensions.Logging;
using Npgsql;
using Pulse.Core.Retention;

namespace Pulse.Postgres.Retention;

/// <summary>
/// Retention on PostgreSQL (docs/lifecycle.md, "Retention"). The event tables are partitioned by id range, one range per
/// period of ingestion (<see cref="PartitionedTables"/>). A pass holds a session advisory lock, so one instance runs it
/// at a time; then, for events (with their properties and links) and for tracked events whose cutoff is set: starts the
/// next range once the newest is a period old (<see cref="PeriodFor"/>); drops every range but the newest whose rows
/// are all older than the cutoff (DETACH PARTITION CONCURRENTLY, which never makes inserts or searches wait, then DROP
/// of the detached tables); and deletes the older rows of the ranges it cannot drop yet in chunks of
/// <see cref="Chunk"/>. Minute counters go in chunks too. A set is partitioned only once its cutoff is set
/// (<see cref="PrepareAsync"/>): with nothing set its tables stay plain, as searches cost least. Partition names in SQL text come from <see cref="PartitionedTables"/>
/// and range numbers read from <c>retention_ranges</c>, never from input; values are parameters.
/// </summary>
public sealed partial class PostgresRetentionStore(NpgsqlDataSource dataSource, ILogger<PostgresRetentionStore> logger) : IRetentionStore
{
    /// <summary>Rows per chunk delete.</summary>
    public const int Chunk = 5000;

    /// <summary>The shortest period a range covers when <see cref="RetentionCutoffs.PartitionPeriod"/> is not set.</summary>
    public static readonly TimeSpan MinimumPeriod = TimeSpan.FromDays(1);

    /// <summary>
    /// How long a range must have been followed by a newer one before it is dropped: a write that took an id of the old
    /// range just before the sequence moved has committed by then (and its row, being recent, keeps the range).
    /// </summary>
    public static readonly TimeSpan DropGrace = TimeSpan.FromMinutes(10);

    /// <summary>How long starting a range or dropping a detached partition waits for its locks before giving up and retrying.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromMilliseconds(200);

    private const int LockAttempts = 20;

    private const long AdvisoryLockKey = 0x50756C736552; // "PulseR"

    // The chunk is the oldest expired rows, found through (event_time, id) in each range; the properties, links and import keys of exactly those go with them.
    private const string DeleteEventsChunk = """
        WITH chunk AS (
            SELECT id FROM events WHERE event_time < $1 ORDER BY event_time LIMIT $2
        ), gone AS (
            DELETE FROM events e USING chunk WHERE e.id = chunk.id RETURNING e.id
        ), properties AS (
            DELETE FROM event_properties p USING gone WHERE p.event_id = gone.id
        ), links AS (
            DELETE FROM campaign_events l USING gone WHERE l.event_id = gone.id
        ), imports AS (
            DELETE FROM event_imports i USING gone WHERE i.event_id = gone.id
        )
        SELECT count(*) FROM gone
        """;

    private const string DeleteTrackedChunk = """
        WITH chunk AS (SELECT id FROM tracked_events WHERE occurred_at < $1 ORDER BY occurred_at LIMIT $2)
        DELETE FROM tracked_events t USING chunk WHERE t.id = chunk.id
        """;

    private const string DeleteStatMinutesChunk =
        "DELETE FROM stat_minutes WHERE ctid = ANY (ARRAY(SELECT ctid FROM stat_minutes WHERE minute < $1 LIMIT $2))";

    private const string DeleteStatComponentMinutesChunk =
        "DELETE FROM stat_component_minutes WHERE ctid = ANY (ARRAY(SELECT ctid FROM stat_component_minutes WHERE minute < $1 LIMIT $2))";

    // A range's partitions still attached to their parents (a drop that stopped half-way leaves some detached or gone).
    private const string AttachedPartitions = """
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = ANY ($1::regclass[]) AND NOT i.inhdetachpending
        """;

    // Partitions an interrupted DETACH ... CONCURRENTLY left pending: FINALIZE completes them.
    private const string PendingDetaches = """
        SELECT p.relname, c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
        WHERE i.inhdetachpending AND i.inhparent = ANY ($1::regclass[])
        """;

    // Parents whose partitions' row estimates (kept by autovacuum) moved by more than 10 % (and 1,000 rows) since the
    // parent's last ANALYZE: autovacuum never analyzes a partitioned table, and its statistics estimate search joins.
    private const string StaleParents = """
        SELECT p.relname FROM pg_class p
        WHERE p.relname = ANY ($1) AND p.relkind = 'p'
          AND abs((SELECT coalesce(sum(greatest(c.reltuples, 0)), 0) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = p.oid)
                  - greatest(p.reltuples, 0)) > 0.1 * greatest(p.reltuples, 0) + 1000
        """;

    private static readonly PartitionedTables[] Sets = [PartitionedTables.Events, PartitionedTables.TrackedEvents];

    /// <summary>
    /// Partitions each table set whose cutoff is set and whose tables are plain ones yet (retention_partition, version
    /// 600: in place, no row copied, the set's tables locked meanwhile), then analyses its new parents. Runs at start-up
    /// (RetentionJob), before the host serves requests; a set that is partitioned already costs one catalogue read.
    /// </summary>
    public async Task PrepareAsync(RetentionCutoffs cutoffs, CancellationToken cancellationToken)
    {
        foreach (var set in Sets)
        {
            if ((set == PartitionedTables.Events ? cutoffs.Events : cutoffs.TrackedEvents) is not null)
            {
                await PartitionAsync(set, cancellationToken);
            }
        }
    }

    private async Task PartitionAsync(PartitionedTables set, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await using var partition = new NpgsqlCommand("SELECT retention_partition($1)", connection, transaction).With(set.Set);
            if (!(bool)(await partition.ExecuteScalarAsync(cancellationToken))!)
            {
                return;
            }

            await transaction.CommitAsync(cancellationToken);
        }

        var converted = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        foreach (var table in set.Tables)
        {
            // The names come from PartitionedTables, never from input.
            await using var analyze = new NpgsqlCommand("ANALYZE " + table, connection);
            await analyze.ExecuteNonQueryAsync(cancellationToken);
        }

        LogPartitioned(logger, set.Set, converted.TotalSeconds, (System.Diagnostics.Stopwatch.GetElapsedTime(started) - converted).TotalSeconds);
    }

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
            var created = 0;
            var dropped = 0;
            var rows = new long[Sets.Length];
            for (var i = 0; i < Sets.Length; i++)
            {
                var set = Sets[i];
                await FinishDetachesAsync(set, cancellationToken);
                await FollowNewestRangeAsync(set, cancellationToken);
                if ((set == PartitionedTables.Events ? cutoffs.Events : cutoffs.TrackedEvents) is not { } cutoff)
                {
                    continue;
                }

                // At start-up PrepareAsync did this; a pass called without it (tests, a store used on its own) does it here.
                await PartitionAsync(set, cancellationToken);

                var newest = await NewestRangeStartAsync(set, cancellationToken);
                if (newest <= now - PeriodFor(cutoffs, cutoff, now))
                {
                    await StartRangeAsync(set, now, cancellationToken);
                    created += set.Tables.Length;
                }

                (var ranges, rows[i]) = await DropExpiredRangesAsync(set, cutoff, now, cancellationToken);
                dropped += ranges * set.Tables.Length;
            }

            var events = rows[0] + await DeleteInChunksAsync(DeleteEventsChunk, cutoffs.Events, scalar: true, cancellationToken);
            var tracked = rows[1] + await DeleteInChunksAsync(DeleteTrackedChunk, cutoffs.TrackedEvents, scalar: false, cancellationToken);
            var minutes = await DeleteInChunksAsync(DeleteStatMinutesChunk, cutoffs.StatMinutes, scalar: false, cancellationToken)
                + await DeleteInChunksAsync(DeleteStatComponentMinutesChunk, cutoffs.StatMinutes, scalar: false, cancellationToken);
            await AnalyzeStaleParentsAsync(cancellationToken);
            return new RetentionPass(events, tracked, minutes, dropped, created);
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", session).With(AdvisoryLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// How long one range covers: <see cref="RetentionCutoffs.PartitionPeriod"/> when set, else a quarter of the time
    /// kept, at least <see cref="MinimumPeriod"/>: about five ranges live, and an expired row waits at most one
    /// period (plus a pass interval) before its range is dropped.
    /// </summary>
    public static TimeSpan PeriodFor(RetentionCutoffs cutoffs, DateTimeOffset cutoff, DateTimeOffset now) =>
        cutoffs.PartitionPeriod ?? TimeSpan.FromTicks(Math.Max(MinimumPeriod.Ticks, (now - cutoff).Ticks / 4));

    /// <summary>
    /// Starts the next range of <paramref name="setName"/> (<c>events</c> or <c>tracked_events</c>) now, whatever its
    /// newest range's age, recorded as started at <paramref name="started"/>; returns its first id. The pass calls it
    /// when a period is over; tests and the benchmark to make ranges at will.
    /// </summary>
    public Task<long> StartRangeAsync(string setName, DateTimeOffset started, CancellationToken cancellationToken) =>
        StartRangeAsync(Sets.Single(set => set.Set == setName), started, cancellationToken);

    private async Task<long> StartRangeAsync(PartitionedTables set, DateTimeOffset started, CancellationToken cancellationToken)
    {
        long first = 0;
        await WithLockRetriesAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await SetLockTimeoutAsync(connection, transaction, cancellationToken);
            await using var start = new NpgsqlCommand("SELECT retention_start_range($1, $2)", connection, transaction).With(set.Set).With(started);
            first = (long)(await start.ExecuteScalarAsync(cancellationToken))!;
            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);
        await FollowNewestRangeAsync(set, cancellationToken);
        return first;
    }

    private async Task FollowNewestRangeAsync(PartitionedTables set, CancellationToken cancellationToken)
    {
        await using var follow = dataSource.CreateCommand("SELECT retention_follow_newest_range($1)").With(set.Set);
        await follow.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<DateTimeOffset> NewestRangeStartAsync(PartitionedTables set, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT max(started_at) FROM retention_ranges WHERE table_set = $1").With(set.Set);
        return new DateTimeOffset((DateTime)(await command.ExecuteScalarAsync(cancellationToken))!, TimeSpan.Zero);
    }

    /// <summary>
    /// Drops each range but the newest (followed by a newer one for at least <see cref="DropGrace"/>) that has no row at
    /// or after the cutoff (one probe of the time index of its main partition); returns the ranges and the main table's
    /// rows they held. A range whose main partition is gone already is a drop an earlier pass began: it is finished.
    /// </summary>
    private async Task<(int Ranges, long Rows)> DropExpiredRangesAsync(PartitionedTables set, DateTimeOffset cutoff, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ranges = new List<(int No, long FirstId, DateTimeOffset Started)>();
        await using (var command = dataSource.CreateCommand("SELECT range_no, first_id, started_at FROM retention_ranges WHERE table_set = $1 ORDER BY range_no").With(set.Set))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ranges.Add((reader.GetInt32(0), reader.GetInt64(1), new DateTimeOffset(reader.GetDateTime(2), TimeSpan.Zero)));
            }
        }

        var attached = await AttachedPartitionsAsync(set, cancellationToken);
        var count = 0;
        long rows = 0;
        for (var i = 0; i < ranges.Count - 1; i++)
        {
            var (no, firstId, _) = ranges[i];
            if (ranges[i + 1].Started > now - DropGrace)
            {
                continue;
            }

            var main = PartitionedTables.PartitionName(set.Main, no);
            if (attached.Contains(main))
            {
                await using (var live = dataSource.CreateCommand($"SELECT EXISTS (SELECT 1 FROM {main} WHERE {set.TimeColumn} >= $1)").With(cutoff))
                {
                    if ((bool)(await live.ExecuteScalarAsync(cancellationToken))!)
                    {
                        continue;
                    }
                }

                // Counted before the drop (the expired partition alone, through its primary key; nothing waits for it).
                await using (var counted = dataSource.CreateCommand($"SELECT count(*) FROM {main}"))
                {
                    rows += (long)(await counted.ExecuteScalarAsync(cancellationToken))!;
                }
            }

            if (set == PartitionedTables.Events)
            {
                await DeleteImportKeysAsync(no == 0 ? long.MinValue : firstId, firstId + PartitionedTables.RangeSize, cancellationToken);
            }

            foreach (var table in set.Tables)
            {
                var partition = PartitionedTables.PartitionName(table, no);
                if (attached.Contains(partition))
                {
                    // Two transactions inside, so never in one: marks the partition detached, waits for the queries
                    // that may still use it, completes. SHARE UPDATE EXCLUSIVE on the parent: inserts and searches go on.
                    await using var detach = dataSource.CreateCommand($"ALTER TABLE {table} DETACH PARTITION {partition} CONCURRENTLY");
                    await detach.ExecuteNonQueryAsync(cancellationToken);
                }

                await WithLockRetriesAsync(async connection =>
                {
                    await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                    await SetLockTimeoutAsync(connection, transaction, cancellationToken);
                    await using var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS {partition}", connection, transaction);
                    await drop.ExecuteNonQueryAsync(cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                }, cancellationToken);
            }

            await using (var forget = dataSource.CreateCommand("DELETE FROM retention_ranges WHERE table_set = $1 AND range_no = $2").With(set.Set).With(no))
            {
                await forget.ExecuteNonQueryAsync(cancellationToken);
            }

            LogRangeDropped(logger, set.Set, no);
            count++;
        }

        return (count, rows);
    }

    /// <summary>Completes detaches an interrupted pass left pending (the partition stays attached for old snapshots until then).</summary>
    private async Task FinishDetachesAsync(PartitionedTables set, CancellationToken cancellationToken)
    {
        var pending = new List<(string Parent, string Partition)>();
        await using (var command = dataSource.CreateCommand(PendingDetaches).With(set.Tables))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                pending.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (parent, partition) in pending)
        {
            await using var finish = dataSource.CreateCommand($"ALTER TABLE {parent} DETACH PARTITION {partition} FINALIZE");
            await finish.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private async Task<HashSet<string>> AttachedPartitionsAsync(PartitionedTables set, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        await using var command = dataSource.CreateCommand(AttachedPartitions).With(set.Tables);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    /// <summary>
    /// Removes the import keys (<c>event_imports</c>) of a range's events before the range is dropped, in chunks of
    /// <see cref="Chunk"/> through the keys' event id index: one probe when none of the range's events was imported.
    /// </summary>
    private async Task DeleteImportKeysAsync(long from, long to, CancellationToken cancellationToken)
    {
        while (true)
        {
            await using var command = dataSource.CreateCommand("""
                DELETE FROM event_imports WHERE import_key = ANY (ARRAY(
                    SELECT import_key FROM event_imports WHERE event_id >= $1 AND event_id < $2 ORDER BY event_id LIMIT $3))
                """).With(from).With(to).With(Chunk);
            if (await command.ExecuteNonQueryAsync(cancellationToken) < Chunk)
            {
                return;
            }
        }
    }

    private async Task AnalyzeStaleParentsAsync(CancellationToken cancellationToken)
    {
        var stale = new List<string>();
        await using (var command = dataSource.CreateCommand(StaleParents).With(Sets.SelectMany(set => set.Tables).ToArray()))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                stale.Add(reader.GetString(0));
            }
        }

        foreach (var parent in stale)
        {
            // The names come from PartitionedTables (the query only filters them).
            await using var analyze = dataSource.CreateCommand("ANALYZE " + Sets.SelectMany(set => set.Tables).Single(table => table == parent));
            await analyze.ExecuteNonQueryAsync(cancellationToken);
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

    private static async Task SetLockTimeoutAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SET LOCAL lock_timeout = '{(int)LockTimeout.TotalMilliseconds}ms'", connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Runs <paramref name="work"/> on a connection of its own, again after a lock timeout (a long search or DDL holding the table), up to <see cref="LockAttempts"/> times.</summary>
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: partitioned {Set} by id range for retention in {Seconds:F1} s, analysed in {AnalyzeSeconds:F1} s")]
    private static partial void LogPartitioned(ILogger logger, string set, double seconds, double analyzeSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: dropped range {Range} of {Set} (every row older than the cutoff)")]
    private static partial void LogRangeDropped(ILogger logger, string set, int range);
}
