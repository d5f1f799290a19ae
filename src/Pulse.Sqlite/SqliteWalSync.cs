using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Pulse.Sqlite;

/// <summary>
/// Makes the writer's commits durable by syncing the WAL file itself, many commits per sync, while the next
/// transaction is already being written (group commit, as PostgreSQL does with its WAL).
/// <para>
/// Why this keeps synchronous=FULL's promise: in WAL mode FULL differs from NORMAL only in that it syncs the WAL
/// at the end of every commit, before the commit returns. The writer runs with NORMAL, and no commit is
/// acknowledged before <see cref="WhenDurableAsync"/> returned, that is, before an fdatasync of the WAL that
/// started after the commit had written its frames. Everything else NORMAL does is the same as FULL: the WAL is
/// synced before each checkpoint copies it, the database file after, and a reused WAL's header when it starts over.
/// After a power loss, recovery keeps every commit whose frames are intact on disk, which includes every
/// acknowledged one; a later, unsynced commit is cut off at its first torn frame by the WAL's checksums. (Frames
/// are not padded to sectors in either mode: SQLite's Unix VFS assumes power-safe overwrite.)
/// </para>
/// <para>
/// The WAL file handle is this class's own. SQLite keeps the WAL file (and its inode) while any connection is
/// open, and the writer connection stays open; the handle is re-opened whenever the writer connection is.
/// If an fdatasync fails, the kernel may have dropped the unsynced pages, so a later successful sync proves
/// nothing: every later write fails too (503, and /health/ready turns unavailable) until Pulse is restarted.
/// </para>
/// </summary>
internal sealed partial class SqliteWalSync
{
    private readonly object _gate = new();
    private SafeFileHandle? _wal;
    private long _written;  // commits written to the WAL (incremented after each commit, under the write lock)
    private long _durable;  // of those, the ones an fdatasync covers
    private Task? _syncing;
    private Exception? _failed;

    /// <summary>Whether this platform can sync the WAL this way (fdatasync: Linux).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>The failure that stopped durable writes, if one did.</summary>
    public Exception? Failure => Volatile.Read(ref _failed);

    /// <summary>Commits recorded, and of those the ones a completed sync covers.</summary>
    public (long Written, long Durable) Positions
    {
        get
        {
            lock (_gate)
            {
                return (Volatile.Read(ref _written), _durable);
            }
        }
    }

    /// <summary>Records a commit the writer connection made. Called under the write lock, after the commit.</summary>
    public void Committed(string walPath)
    {
        if (_wal is null)
        {
            var handle = File.OpenHandle(walPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            lock (_gate)
            {
                _wal = handle;
            }
        }

        Interlocked.Increment(ref _written);
    }

    /// <summary>
    /// The writer connection is about to be closed: what it wrote is synced now, through the handle that points
    /// at its WAL, and the next commit opens the WAL anew (SQLite deletes it when its last connection closes).
    /// </summary>
    public void WriterClosing()
    {
        if (Volatile.Read(ref _durable) < Volatile.Read(ref _written))
        {
            SyncNow();
        }

        lock (_gate)
        {
            // A sync in progress holds its own reference to the handle (SafeHandle), so this cannot close it under it.
            _wal?.Dispose();
            _wal = null;
        }
    }

    /// <summary>Completes once every commit recorded before the call is synced to disk.</summary>
    public async Task WhenDurableAsync()
    {
        var target = Volatile.Read(ref _written);
        while (true)
        {
            Task sync;
            lock (_gate)
            {
                if (_failed is not null)
                {
                    throw new IOException("The embedded database's log could not be synced to disk; restart Pulse.", _failed);
                }

                if (_durable >= target)
                {
                    return;
                }

                // One sync at a time: a commit that arrives during one is covered by the next.
                sync = _syncing ??= Task.Run(SyncOnce);
            }

            await sync;
        }
    }

    private void SyncOnce()
    {
        try
        {
            SyncNow();
        }
        finally
        {
            lock (_gate)
            {
                _syncing = null;
            }
        }
    }

    private void SyncNow()
    {
        SafeFileHandle? wal;
        lock (_gate)
        {
            wal = _wal;
        }

        // Read before the sync: every commit counted by now has written its frames, so the sync covers them.
        // No handle means no commit since the last one was synced (see WriterClosing).
        var upTo = Volatile.Read(ref _written);
        try
        {
            if (wal is not null)
            {
                Sync(wal);
            }

            lock (_gate)
            {
                _durable = Math.Max(_durable, upTo);
            }
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                _failed ??= ex;
            }
        }
    }

    private static void Sync(SafeFileHandle wal)
    {
        while (NativeMethods.fdatasync(wal) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != 4) // EINTR: try again
            {
                throw new IOException($"fdatasync of the WAL failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
            }
        }
    }

    private static partial class NativeMethods
    {
        [LibraryImport("libc", SetLastError = true)]
        internal static partial int fdatasync(SafeFileHandle fd);
    }
}

