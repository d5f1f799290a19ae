using Pulse.Core.Events;
using Pulse.Core.Tracking;

namespace Pulse.Sqlite;

/// <summary>
/// Events per minute, each minute one range count of the (event_time, id) index (the rows are never read). A GROUP BY
/// over the range sorted every entry in a temporary B-tree instead: 0.9 s against 0.15 s for 1M events.
/// </summary>
public sealed class SqliteEventCounts(SqliteDatabase database) : IEventCounts
{
    private const string PerMinute = """
        WITH RECURSIVE minutes(t) AS (SELECT $from UNION ALL SELECT t + 60000 FROM minutes WHERE t + 60000 < $to)
        SELECT (SELECT COUNT(*) FROM events WHERE event_time >= minutes.t AND event_time < minutes.t + 60000) FROM minutes
        """;

    public Task<IReadOnlyList<long>> PerMinuteAsync(MinuteWindow window, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<long>>(async (connection, ct) =>
        {
            await using var command = connection.Command(PerMinute)
                .With("$from", SqliteValues.ToUnixMs(window.From))
                .With("$to", SqliteValues.ToUnixMs(window.To));
            var counts = new List<long>(window.Minutes);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                counts.Add(reader.GetInt64(0));
            }

            return counts;
        }, cancellationToken);
}
