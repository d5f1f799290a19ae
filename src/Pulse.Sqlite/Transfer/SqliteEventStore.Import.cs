using Microsoft.Data.Sqlite;
using Pulse.Core.Events;
using Pulse.Core.Transfer;

namespace Pulse.Sqlite;

/// <summary>The import: events with their original times, deduplicated forever by their import key.</summary>
public sealed partial class SqliteEventStore : IEventImportStore
{
    /// <summary>
    /// One transaction on the single writer, so the check is exact: an event whose key is stored (an earlier commit, or
    /// an earlier copy in this list) is skipped; the others are inserted and their keys recorded with their ids.
    /// </summary>
    public Task<IReadOnlyList<long?>> ImportAsync(IReadOnlyList<ImportWrite> events, CancellationToken cancellationToken)
    {
        var rows = new EventRow[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            rows[i] = new EventRow(events[i].Event);
        }

        var tally = EventMinuteTally.Of(events.Select(e => e.Event));
        return database.WriteAsync<IReadOnlyList<long?>>((connection, transaction, _) =>
        {
            var commands = _commands.For(connection);
            commands.Enlist(transaction);
            using var seen = connection.Command("SELECT 1 FROM event_imports WHERE import_key = $k", transaction);
            var seenKey = seen.Parameters.Add("$k", SqliteType.Blob);
            using var claim = connection.Command("INSERT INTO event_imports (import_key, event_id, imported_at) VALUES ($k, $e, $t)", transaction);
            var claimKey = claim.Parameters.Add("$k", SqliteType.Blob);
            var claimEvent = claim.Parameters.Add("$e", SqliteType.Integer);
            claim.Parameters.Add("$t", SqliteType.Integer).Value = SqliteValues.ToUnixMs(DateTimeOffset.UtcNow);
            var ids = new long?[rows.Length];
            for (var i = 0; i < rows.Length; i++)
            {
                var write = events[i];
                seenKey.Value = write.Key;
                if (seen.ExecuteScalar() is not null)
                {
                    tally.Remove(write.Event.Timestamp);
                    continue;
                }

                var id = commands.Insert(connection, rows[i], new SdkColumns(write.Message, write.SentAt, write.TimeClamped));
                claimKey.Value = write.Key;
                claimEvent.Value = id;
                claim.ExecuteNonQuery();
                ids[i] = id;
            }

            _minutes.Add(connection, transaction, tally);
            return Task.FromResult<IReadOnlyList<long?>>(ids);
        }, cancellationToken);
    }
}
