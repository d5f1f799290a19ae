using Npgsql;
using NpgsqlTypes;
using Pulse.Core.Events;

namespace Pulse.Postgres;

/// <summary>
/// Adds a batch's <see cref="EventMinuteTally"/> to <c>event_minutes</c> inside the transaction that stores the events.
/// </summary>
/// <remarks>
/// Several writers commit concurrently (each instance's write queues run batches side by side, and instances add up).
/// An upsert locks its row until the transaction commits, WAL flush included, so one row per minute would make every
/// batch of the current minute wait for the previous one's commit: group commit would become one commit at a time.
/// Each batch therefore counts into one of <see cref="Slots"/> rows of its minute, taken round-robin from a
/// per-process counter that starts at a random slot: the batches one process has in flight (two writers per queue by
/// default) never share a row, and batches of different instances only rarely do (then one waits; nothing fails).
/// Readers add up the slots of a minute: at most 16 rows, from one range of the primary key. Rows of a minute are
/// upserted in time order, so two batches that span the same minutes in one slot wait for each other instead of
/// deadlocking.
/// </remarks>
internal static class PostgresEventMinutes
{
    public const int Slots = 16;

    /// <summary>
    /// A data-modifying CTE for the append statements, whose parameters <see cref="AddParameters"/> adds as
    /// <c>$13</c> (the minutes), <c>$14</c> (their counts) and <c>$15</c> (the slot).
    /// </summary>
    public const string CountedCte = """
        ), counted AS (
            INSERT INTO event_minutes (minute, slot, count)
            SELECT c.minute, $15, c.count FROM unnest($13::timestamptz[], $14::bigint[]) AS c(minute, count) ORDER BY c.minute
            ON CONFLICT (minute, slot) DO UPDATE SET count = event_minutes.count + excluded.count
        """;

    private const string UpsertSql = """
        INSERT INTO event_minutes (minute, slot, count)
        SELECT c.minute, $3, c.count FROM unnest($1::timestamptz[], $2::bigint[]) AS c(minute, count) ORDER BY c.minute
        ON CONFLICT (minute, slot) DO UPDATE SET count = event_minutes.count + excluded.count
        """;

    private static int s_next = Random.Shared.Next(Slots);

    public static void AddParameters(NpgsqlParameterCollection parameters, EventMinuteTally tally)
    {
        var minutes = tally.Minutes;
        parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, Value = minutes.Select(m => m.Minute).ToArray() });
        parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = minutes.Select(m => m.Count).ToArray() });
        parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Smallint, Value = NextSlot() });
    }

    /// <summary>The upsert as its own statement, for the paths that write with COPY inside an explicit transaction.</summary>
    public static async Task AddAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, EventMinuteTally tally, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(UpsertSql, connection, transaction);
        AddParameters(command.Parameters, tally);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static short NextSlot() => (short)((uint)Interlocked.Increment(ref s_next) % Slots);
}
