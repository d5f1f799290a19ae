using Pulse.Core.Events;
using Pulse.Core.Tracking;

namespace Pulse.Postgres;

/// <summary>
/// Events per minute from <c>event_minutes</c>, which the write path keeps (<see cref="PostgresEventMinutes"/>): a
/// minute's writer slots added up, so a window of 60 minutes reads at most 960 rows of one primary-key range whatever
/// the ingestion rate.
/// </summary>
public sealed class PostgresEventCounts(PostgresSearchDataSource searches) : IEventCounts
{
    private const string PerMinute = "SELECT minute, sum(count)::bigint FROM event_minutes WHERE minute >= $1 AND minute < $2 GROUP BY minute";

    public async Task<IReadOnlyList<long>> PerMinuteAsync(MinuteWindow window, CancellationToken cancellationToken)
    {
        await using var command = searches.DataSource.CreateCommand(PerMinute).With(window.From).With(window.To);
        var counts = new long[window.Minutes];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[(int)((reader.ReadTime(0) - window.From).Ticks / TimeSpan.TicksPerMinute)] = reader.GetInt64(1);
        }

        return counts;
    }
}
