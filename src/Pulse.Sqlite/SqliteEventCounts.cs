using Pulse.Core.Events;
using Pulse.Core.Tracking;

namespace Pulse.Sqlite;

/// <summary>
/// Events per minute from <c>event_minutes</c>, which the write path keeps (<see cref="SqliteEventMinutes"/>): one row per
/// minute with events, so a window of 60 minutes reads at most 60 rows of the primary key whatever the ingestion rate.
/// </summary>
public sealed class SqliteEventCounts(SqliteDatabase database) : IEventCounts
{
    public Task<IReadOnlyList<long>> PerMinuteAsync(MinuteWindow window, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<long>>(async (connection, ct) =>
        {
            await using var command = connection.Command("SELECT minute, count FROM event_minutes WHERE minute >= $from AND minute < $to")
                .With("$from", SqliteValues.ToUnixMs(window.From))
                .With("$to", SqliteValues.ToUnixMs(window.To));
            var counts = new long[window.Minutes];
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                counts[(reader.GetInt64(0) - SqliteValues.ToUnixMs(window.From)) / 60_000] = reader.GetInt64(1);
            }

            return counts;
        }, cancellationToken);
}
