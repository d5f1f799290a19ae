using Microsoft.Data.Sqlite;
using Pulse.Core.Events;

namespace Pulse.Sqlite;

/// <summary>
/// Adds a batch's <see cref="EventMinuteTally"/> to <c>event_minutes</c> on the writer, inside the transaction that stores
/// the events: one upsert per distinct minute (a batch rarely spans more than two), the command compiled once per writer
/// connection. A rolled-back batch takes its counts with it.
/// </summary>
internal sealed class SqliteEventMinutes
{
    private readonly WriterCommands<SqliteCommand> _upsert = new(connection =>
    {
        var command = connection.Command(
            "INSERT INTO event_minutes (minute, count) VALUES ($m, $c) ON CONFLICT (minute) DO UPDATE SET count = count + excluded.count");
        command.Parameters.Add("$m", SqliteType.Integer);
        command.Parameters.Add("$c", SqliteType.Integer);
        return command;
    });

    public void Add(SqliteConnection connection, SqliteTransaction transaction, EventMinuteTally tally)
    {
        var upsert = _upsert.For(connection);
        upsert.Transaction = transaction;
        foreach (var (minute, count) in tally.Minutes)
        {
            upsert.Parameters[0].Value = SqliteValues.ToUnixMs(minute);
            upsert.Parameters[1].Value = count;
            upsert.ExecuteNonQuery();
        }
    }
}
