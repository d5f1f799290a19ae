using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Pulse.Sqlite;

/// <summary>
/// One of the embedded database's reader connections (<see cref="SqliteReaders"/>): opened once, then lent to one
/// read at a time.
/// </summary>
public sealed partial class SqliteReader : IDisposable
{
    private const int NoTransaction = 0; // SQLITE_TXN_NONE

    internal SqliteReader(SqliteConnection connection)
    {
        Connection = connection;
    }

    public SqliteConnection Connection { get; }

    /// <summary>
    /// Whether the connection can be lent again as it is: no transaction open and no statement left unreset. Either
    /// would keep this connection's read transaction, and so its snapshot of the database, open into the next read,
    /// which then would not see commits made since (and would hold back checkpoints).
    /// </summary>
    internal bool IsIdle =>
        Connection.Handle is { } handle && raw.sqlite3_get_autocommit(handle) != 0 &&
        NativeMethods.sqlite3_txn_state(handle.DangerousGetHandle(), IntPtr.Zero) == NoTransaction;

    public void Dispose() => Connection.Dispose();

    private static partial class NativeMethods
    {
        // SQLitePCLRaw does not expose sqlite3_txn_state (SQLite 3.34+), so it is called directly in the SQLite library
        // it loads (e_sqlite3), as SqliteCheckpointer calls sqlite3_wal_hook. With no schema name: the connection's
        // highest transaction state over all its databases.
        [LibraryImport("e_sqlite3")]
        internal static partial int sqlite3_txn_state(IntPtr db, IntPtr schema);
    }
}
