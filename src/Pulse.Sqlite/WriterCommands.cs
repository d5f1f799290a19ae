using Microsoft.Data.Sqlite;

namespace Pulse.Sqlite;

/// <summary>
/// Commands created and compiled once per writer connection and reused by every transaction on it, instead of once
/// per transaction. Only used inside <see cref="SqliteDatabase.WriteAsync{T}"/>, where one writer runs at a time,
/// so it needs no locking; a new writer connection (after an error) gets new commands.
/// </summary>
internal sealed class WriterCommands<T>(Func<SqliteConnection, T> create)
    where T : class
{
    private SqliteConnection? _connection;
    private T? _commands;

    public T For(SqliteConnection connection)
    {
        if (!ReferenceEquals(_connection, connection) || _commands is null)
        {
            _commands = create(connection);
            _connection = connection;
        }

        return _commands;
    }
}
