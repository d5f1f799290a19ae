using Npgsql;
using NpgsqlTypes;
using Pulse.Core.Events;
using Pulse.Core.Transfer;

namespace Pulse.Postgres;

/// <summary>The import: events with their original times, deduplicated forever by their import key.</summary>
public sealed partial class PostgresEventStore : IEventImportStore
{
    /// <summary>
    /// Claims import keys with the ids reserved for their events, in key order in every transaction (two imports of the
    /// same file wait for each other instead of deadlocking; a conflicting key waits for the other transaction's outcome
    /// and is skipped if it committed). Returns the event ids of the keys this transaction inserted.
    /// </summary>
    private const string ClaimImportSql = """
        INSERT INTO event_imports (import_key, event_id, imported_at)
        SELECT k.key, k.event_id, now() FROM unnest($1::bytea[], $2::bigint[]) AS k(key, event_id) ORDER BY k.key
        ON CONFLICT (import_key) DO NOTHING
        RETURNING event_id
        """;

    /// <summary>
    /// One transaction: ids reserved from the sequence (unused ones are gaps), the keys claimed with them, then the
    /// claimed events by binary COPY into the three tables, with their SDK columns.
    /// </summary>
    public async Task<IReadOnlyList<long?>> ImportAsync(IReadOnlyList<ImportWrite> events, CancellationToken cancellationToken)
    {
        var result = new long?[events.Count];
        var first = new Dictionary<string, int>(events.Count, StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            first.TryAdd(Convert.ToHexString(events[i].Key), i);
        }

        await using var connection = await writes.DataSource.OpenConnectionAsync(cancellationToken);
        var reserved = await ReserveIdsAsync(connection, first.Count, cancellationToken);
        var indexes = first.Values.ToArray();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var claimed = new HashSet<long>();
        await using (var claim = new NpgsqlCommand(ClaimImportSql, connection, transaction))
        {
            claim.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea, Value = indexes.Select(i => events[i].Key).ToArray() });
            claim.Parameters.Add(new NpgsqlParameter { Value = reserved });
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(reader.GetInt64(0));
            }
        }

        var kept = new List<int>(claimed.Count);
        var ids = new List<long>(claimed.Count);
        for (var j = 0; j < indexes.Length; j++)
        {
            if (claimed.Contains(reserved[j]))
            {
                kept.Add(indexes[j]);
                ids.Add(reserved[j]);
                result[indexes[j]] = reserved[j];
            }
        }

        if (kept.Count > 0)
        {
            await CopyRowsAsync(
                connection,
                [.. kept.Select(i => events[i].Event)],
                [.. ids],
                [.. kept.Select(i => new SdkColumns(events[i].Message, events[i].SentAt, events[i].TimeClamped))],
                cancellationToken);
            await PostgresEventMinutes.AddAsync(connection, transaction, EventMinuteTally.Of(kept.Select(i => events[i].Event)), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return result;
    }
}
