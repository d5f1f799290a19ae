using Pulse.Core.Events;
using Pulse.Core.Tracking;

namespace Pulse.Postgres;

/// <summary>
/// Events per minute, each minute one range count over the (event_time, id) index, on the search connections
/// (unprepared, no parallel workers).
/// </summary>
public sealed class PostgresEventCounts(PostgresSearchDataSource searches) : IEventCounts
{
    private const string PerMinute = """
        SELECT (SELECT count(*) FROM events WHERE event_time >= m AND event_time < m + interval '1 minute')
        FROM generate_series($1::timestamptz, $2::timestamptz - interval '1 minute', interval '1 minute') AS m
        ORDER BY m
        """;

    public async Task<IReadOnlyList<long>> PerMinuteAsync(MinuteWindow window, CancellationToken cancellationToken)
    {
        await using var command = searches.DataSource.CreateCommand(PerMinute).With(window.From).With(window.To);
        var counts = new List<long>(window.Minutes);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(reader.GetInt64(0));
        }

        return counts;
    }
}
