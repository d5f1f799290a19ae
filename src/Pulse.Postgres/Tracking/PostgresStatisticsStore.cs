using System.Data;
using Npgsql;
using Pulse.Core.Tracking;

namespace Pulse.Postgres.Tracking;

/// <summary>
/// Reads counts from <c>stat_minutes</c> together with the roll-up markers of the live part of the window, in one
/// snapshot, so the caller can add exactly the live buckets that are not rolled up.
/// </summary>
public sealed class PostgresStatisticsStore(NpgsqlDataSource dataSource) : IStatisticsStore
{
    // One statement, one snapshot: the sum (the row whose minute is null) and the markers.
    private const string SumWithMarkers = """
        SELECT NULL::timestamptz, COALESCE(sum(count), 0)::bigint FROM stat_minutes
        WHERE type = $1 AND component_id = $2 AND post_id = $3 AND keyword = $4 AND minute >= $5 AND minute < $6
        UNION ALL
        SELECT minute, 0 FROM stat_rollups WHERE type = $1 AND minute >= $7 AND minute < $8
        """;

    private const string TopKeywords = """
        SELECT keyword, sum(count)::bigint AS total FROM stat_minutes
        WHERE type = 'SEARCH' AND minute >= $1 AND minute < $2
        GROUP BY keyword HAVING sum(count) > 0
        ORDER BY total DESC, keyword
        LIMIT $3
        """;

    private const string SearchMarkers = "SELECT minute FROM stat_rollups WHERE type = 'SEARCH' AND minute >= $1 AND minute < $2";

    private const string KeywordSums = """
        SELECT keyword, sum(count)::bigint FROM stat_minutes
        WHERE type = 'SEARCH' AND minute >= $1 AND minute < $2 AND keyword = ANY($3)
        GROUP BY keyword
        """;

    // Series, each with the type's markers of the live part of the window, in one statement and so one snapshot, told
    // apart by the third column. One member: one range of the primary key. A component (every keyword or post added
    // up): one range of stat_component_minutes (version 103), which the write path keeps beside the members' rows.
    // The whole type (the dashboard's last hour): the (type, minute) index, summed per minute. Every statement gets the
    // same eight parameters, typed by their values (bigint, text), so a statement may leave some unused.
    private const string SeriesMember = """
        SELECT minute, count, false FROM stat_minutes
        WHERE type = $1 AND component_id = $4 AND post_id = $5 AND keyword = $6 AND minute >= $2 AND minute < $3
        UNION ALL
        SELECT minute, 0, true FROM stat_rollups WHERE type = $1 AND minute >= $7 AND minute < $8
        """;

    private const string SeriesComponent = """
        SELECT minute, count, false FROM stat_component_minutes
        WHERE type = $1 AND component_id = $4 AND minute >= $2 AND minute < $3
        UNION ALL
        SELECT minute, 0, true FROM stat_rollups WHERE type = $1 AND minute >= $7 AND minute < $8
        """;

    private const string SeriesType = """
        SELECT minute, sum(count)::bigint, false FROM stat_minutes
        WHERE type = $1 AND minute >= $2 AND minute < $3
        GROUP BY minute
        UNION ALL
        SELECT minute, 0, true FROM stat_rollups WHERE type = $1 AND minute >= $7 AND minute < $8
        """;

    public async Task<StoredSeries> SeriesAsync(TrackedEventType set, CounterFilter filter, MinuteWindow window, MinuteWindow live, CancellationToken cancellationToken)
    {
        var member = filter.ExactMember(set);
        var sql = member is not null ? SeriesMember : filter.ComponentId is not null ? SeriesComponent : SeriesType;
        await using var command = dataSource.CreateCommand(sql)
            .With(set.ToWire()).With(window.From).With(window.To)
            .With(filter.ComponentId ?? 0).With(member?.PostId ?? 0).With(member?.Keyword ?? string.Empty)
            .With(live.From).With(live.To);
        var counts = new Dictionary<DateTimeOffset, long>();
        var rolledUp = new HashSet<DateTimeOffset>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.GetBoolean(2))
            {
                rolledUp.Add(reader.ReadTime(0));
            }
            else
            {
                counts[reader.ReadTime(0)] = reader.GetInt64(1);
            }
        }

        return new StoredSeries(counts, rolledUp);
    }

    public async Task<StoredCount> CountAsync(TrackedEventType set, CounterMember member, MinuteWindow window, MinuteWindow live, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SumWithMarkers)
            .With(set.ToWire()).With(member.ComponentId).With(member.PostId ?? 0).With(member.Keyword ?? string.Empty)
            .With(window.From).With(window.To).With(live.From).With(live.To);
        long count = 0;
        var rolledUp = new HashSet<DateTimeOffset>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.IsDBNull(0))
            {
                count = reader.GetInt64(1);
            }
            else
            {
                rolledUp.Add(reader.ReadTime(0));
            }
        }

        return new StoredCount(count, rolledUp);
    }

    /// <summary>
    /// In one repeatable-read snapshot: the database's top keywords and the SEARCH markers, then (after reading
    /// the unrolled live buckets) the database counts of the live keywords, so the merge is exact (see <see cref="KeywordCount.Merge"/>).
    /// </summary>
    public async Task<IReadOnlyList<KeywordCount>> TopKeywordsAsync(
        MinuteWindow window, int limit, MinuteWindow live, LiveKeywordReader readLive, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var stored = new List<KeywordCount>(limit);
        var rolledUp = new HashSet<DateTimeOffset>();
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            batch.BatchCommands.Add(Command(TopKeywords, window.From, window.To, limit));
            batch.BatchCommands.Add(Command(SearchMarkers, live.From, live.To));
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                stored.Add(new KeywordCount(reader.GetString(0), reader.GetInt64(1)));
            }

            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rolledUp.Add(reader.ReadTime(0));
            }
        }

        var unrolled = CounterMinute.Range(live.From, live.To).Where(minute => !rolledUp.Contains(minute)).ToList();
        if (unrolled.Count == 0)
        {
            return stored;
        }

        var liveCounts = await readLive(unrolled, cancellationToken);
        var inTop = stored.Select(k => k.Keyword).ToHashSet(StringComparer.Ordinal);
        var others = liveCounts.Keys.Where(keyword => !inTop.Contains(keyword)).ToArray();
        if (others.Length > 0)
        {
            await using var command = new NpgsqlCommand(KeywordSums, connection, transaction).With(window.From).With(window.To).With(others);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                stored.Add(new KeywordCount(reader.GetString(0), reader.GetInt64(1)));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return KeywordCount.Merge(stored, liveCounts, limit);
    }

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
