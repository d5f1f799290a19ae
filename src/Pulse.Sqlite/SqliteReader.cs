using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Pulse.Sqlite;

/// <summary>
/// One of the embedded database's reader connections (<see cref="SqliteReaders"/>): opened once, then lent to one
/// read at a time, with the statements that reads compiled on it kept for the next read.
/// </summary>
public sealed partial class SqliteReader : IDisposable
{
    /// <summary>
    /// Statements kept per connection. Searches are the only caller with many shapes (one per combination of
    /// conditions, operators and options); when a connection has this many, they are all dropped and compiled anew.
    /// </summary>
    internal const int MaxStatements = 32;

    private const int NoTransaction = 0; // SQLITE_TXN_NONE

    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);

    internal SqliteReader(SqliteConnection connection)
    {
        Connection = connection;
    }

    public SqliteConnection Connection { get; }

    /// <summary>How many statements are kept on this connection.</summary>
    internal int StatementCount => _statements.Count;

    /// <summary>
    /// A command for <paramref name="sql"/> that stays compiled on this connection, with no parameters: the caller adds
    /// them, and must not dispose the command (disposing its readers is enough: that resets the statement and ends its
    /// read transaction).
    /// </summary>
    public SqliteCommand Statement(string sql)
    {
        if (!_statements.TryGetValue(sql, out var command))
        {
            if (_statements.Count >= MaxStatements)
            {
                DisposeStatements();
            }

            command = Connection.CreateCommand();
            command.CommandText = sql;
            _statements.Add(sql, command);
        }

        command.Parameters.Clear();
        return command;
    }

    /// <summary>
    /// Whether the connection can be lent again as it is: no transaction open and no statement left unreset. Either
    /// would keep this connection's read transaction, and so its snapshot of the database, open into the next read,
    /// which then would not see commits made since (and would hold back checkpoints).
    /// </summary>
    internal bool IsIdle =>
        Connection.Handle is { } handle && raw.sqlite3_get_autocommit(handle) != 0 &&
        NativeMethods.sqlite3_txn_state(handle.DangerousGetHandle(), IntPtr.Zero) == NoTransaction;

    public void Dispose()
    {
        DisposeStatements();
        Connection.Dispose();
    }

    private void DisposeStatements()
    {
        foreach (var command in _statements.Values)
        {
            command.Dispose();
        }

        _statements.Clear();
    }

    private static partial class NativeMethods
    {
        // SQLitePCLRaw does not expose sqlite3_txn_state (SQLite 3.34+), so it is called directly in the SQLite library
        // it loads (e_sqlite3), as SqliteCheckpointer calls sqlite3_wal_hook. With no schema name: the connection's
        // highest transaction state over all its databases.
        [LibraryImport("e_sqlite3")]
        internal static partial int sqlite3_txn_state(IntPtr db, IntPtr schema);
    }
}
