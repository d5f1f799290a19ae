using Pulse.Core.Tracking;

namespace Pulse.Sqlite.Tracking;

/// <summary>
/// Embedded statistics: every count is committed to <c>stat_minutes</c> with its event, so the database is complete
/// for every minute and there is nothing live to merge (every minute reports as rolled up).
/// </summary>
public sealed class SqliteStatisticsStore(SqliteDatabase database) : IStatisticsStore
{
    private const string SumMember = """
        SELECT COALESCE(SUM(count), 0) FROM stat_minutes
        WHERE type = $type AND component_id = $component AND post_id = $post AND keyword = $keyword
          AND minute >= $from AND minute < $to
        """;

    // BINARY collation orders by UTF-8 bytes, i.e. by code point, as KeywordCount.Rank does.
    private const string TopKeywords = """
        SELECT keyword, SUM(count) AS total FROM stat_minutes
        WHERE type = 'SEARCH' AND minute >= $from AND minute < $to
        GROUP BY keyword HAVING total > 0
        ORDER BY total DESC, keyword
        LIMIT $limit
        """;

    // Series. One member: one range of the primary key, a row per minute. A component's keywords or posts: one range of
    // stat_component_minutes (schema 102), the write path's per-minute sum of the component's members. Without a
    // component (the dashboard's per-type overview of the last hour): the (type, minute) index, summed per minute.
    // SQLite's planner preferred the (type, minute) index for a member too, which read every component's rows of the
    // window: 0.4-0.6 s for 7 days of 50 counters in bench (l), against a few ms for a key range.
    private const string SeriesMember = """
        SELECT minute, count FROM stat_minutes INDEXED BY sqlite_autoindex_stat_minutes_1
        WHERE type = $type AND component_id = $component AND post_id = $post AND keyword = $keyword AND minute >= $from AND minute < $to
        """;

    private const string SeriesComponent = """
        SELECT minute, count FROM stat_component_minutes
        WHERE type = $type AND component_id = $component AND minute >= $from AND minute < $to
        """;

    private const string SeriesType = """
        SELECT minute, SUM(count) FROM stat_minutes WHERE type = $type AND minute >= $from AND minute < $to GROUP BY minute
        """;

    public Task<StoredSeries> SeriesAsync(TrackedEventType set, CounterFilter filter, MinuteWindow window, MinuteWindow live, CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, ct) =>
        {
            var member = filter.ExactMember(set);
            var sql = member is not null ? SeriesMember : filter.ComponentId is not null ? SeriesComponent : SeriesType;
            await using var command = connection.Command(sql)
                .With("$type", set.ToWire())
                .With("$from", SqliteValues.ToUnixMs(window.From))
                .With("$to", SqliteValues.ToUnixMs(window.To))
                .With("$component", filter.ComponentId)
                .With("$post", member?.PostId ?? 0)
                .With("$keyword", member?.Keyword ?? string.Empty);
            var counts = new Dictionary<DateTimeOffset, long>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var minute = SqliteValues.FromUnixMs(reader.GetInt64(0));
                counts[minute] = counts.GetValueOrDefault(minute) + reader.GetInt64(1);
            }

            return new StoredSeries(counts, AllMinutes(live));
        }, cancellationToken);

    public Task<StoredCount> CountAsync(TrackedEventType set, CounterMember member, MinuteWindow window, MinuteWindow live, CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.Command(SumMember)
                .With("$type", set.ToWire())
                .With("$component", member.ComponentId)
                .With("$post", member.PostId ?? 0)
                .With("$keyword", member.Keyword ?? string.Empty)
                .With("$from", SqliteValues.ToUnixMs(window.From))
                .With("$to", SqliteValues.ToUnixMs(window.To));
            var count = (long)(await command.ExecuteScalarAsync(ct))!;
            return new StoredCount(count, AllMinutes(live));
        }, cancellationToken);

    public Task<IReadOnlyList<KeywordCount>> TopKeywordsAsync(
        MinuteWindow window, int limit, MinuteWindow live, LiveKeywordReader readLive, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<KeywordCount>>(async (connection, ct) =>
        {
            await using var command = connection.Command(TopKeywords)
                .With("$from", SqliteValues.ToUnixMs(window.From))
                .With("$to", SqliteValues.ToUnixMs(window.To))
                .With("$limit", limit);
            var top = new List<KeywordCount>(limit);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                top.Add(new KeywordCount(reader.GetString(0), reader.GetInt64(1)));
            }

            return top;
        }, cancellationToken);

    private static HashSet<DateTimeOffset> AllMinutes(MinuteWindow live) => [.. CounterMinute.Range(live.From, live.To)];
}
