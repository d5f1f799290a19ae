using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Pulse.Sqlite;

/// <summary>
/// Copies the WAL back into the database file on its own connection, so that writers never do it.
/// <para>
/// SQLite's default (auto-checkpoint) runs a checkpoint inside the commit that takes the WAL past 1,000 pages:
/// that commit then writes every page to the database file and syncs it, while every request in its group
/// waits. Here the writer's commit only reports the WAL's size (SQLite's WAL hook, which also switches the
/// auto-checkpoint off on that connection); past <see cref="Limits.ThresholdFrames"/> a PASSIVE checkpoint copies the
/// pages on this class's connection while writers go on appending. PASSIVE cannot copy what was committed during
/// it, and SQLite starts the WAL file over only once everything in it was copied, so further passes follow while
/// writers go on, and once one finds only a few pages committed meanwhile, a last pass holds writers to copy them
/// (a few ms): the next commit starts the WAL over instead of letting it grow. While large transactions keep
/// adding more than that, writers are not held, up to a cap (<see cref="Limits.CapFrames"/>).
/// </para>
/// <para>
/// Durability does not depend on checkpoints: a commit is durable once its WAL frames are synced
/// (<see cref="SqliteWalSync"/>); a checkpoint syncs the WAL before it copies and the database file after.
/// </para>
/// </summary>
internal sealed partial class SqliteCheckpointer : IAsyncDisposable
{
    /// <summary>Passes while writers go on, at most; the next one holds them.</summary>
    private const int MaxUnheldPasses = 4;

    /// <summary>Frames committed during a pass that are few enough to copy while writers are held.</summary>
    private const int SmallRemainderFrames = 256;

    private readonly SqliteDatabase _database;
    private readonly Limits _limits;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _due = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly GCHandle _self;
    private readonly Task _loop;
    private int _signalled;
    private int _disposed;

    public SqliteCheckpointer(SqliteDatabase database, ILogger logger, Limits limits)
    {
        _database = database;
        _limits = limits;
        _logger = logger;
        _self = GCHandle.Alloc(this);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Makes <paramref name="writer"/> report its commits here instead of checkpointing in them.</summary>
    public unsafe void Watch(SqliteConnection writer) =>
        // Microsoft.Data.Sqlite and SQLitePCLRaw do not expose sqlite3_wal_hook, so it is called directly in the
        // SQLite library they load (e_sqlite3).
        NativeMethods.sqlite3_wal_hook(writer.Handle!.DangerousGetHandle(), &OnCommit, GCHandle.ToIntPtr(_self));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnCommit(IntPtr state, IntPtr db, IntPtr schema, int frames)
    {
        // Runs on the writer's thread inside its commit: only a flag and a signal; must not throw.
        if (GCHandle.FromIntPtr(state).Target is SqliteCheckpointer self && frames >= self._limits.ThresholdFrames &&
            Interlocked.Exchange(ref self._signalled, 1) == 0)
        {
            self._due.Release();
        }

        return 0; // SQLITE_OK
    }

    private async Task RunAsync()
    {
        SqliteConnection? connection = null;
        try
        {
            while (true)
            {
                await _due.WaitAsync(_stopping.Token);
                try
                {
                    connection ??= await _database.OpenUnpooledAsync(_stopping.Token);
                    await CheckpointAsync(connection);
                }
                catch (Exception ex) when (ex is SqliteException or IOException)
                {
                    LogFailed(_logger, ex);
                    connection?.Dispose();
                    connection = null;
                }
                finally
                {
                    Volatile.Write(ref _signalled, 0);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        finally
        {
            connection?.Dispose();
        }

        async Task CheckpointAsync(SqliteConnection connection)
        {
            var started = Stopwatch.GetTimestamp();
            var (frames, copied) = Passive(connection);

            // Each pass copies what the WAL held when it started; commits made meanwhile are left to the next one.
            // Further passes while writers go on shrink that remainder, so that the pass holding writers is short.
            var remainderIsSmall = false;
            for (var pass = 1; pass < MaxUnheldPasses && !remainderIsSmall; pass++)
            {
                var (now, nowCopied) = Passive(connection);
                remainderIsSmall = now - frames <= SmallRemainderFrames;
                (frames, copied) = (now, nowCopied);
            }

            var unheld = Stopwatch.GetElapsedTime(started);

            // Large transactions (batches of thousands of events) may keep adding more than a short pass could copy:
            // then writers are not held, and the WAL grows, until a quiet moment or the cap.
            if (!remainderIsSmall && frames < _limits.CapFrames)
            {
                LogCheckpoint(_logger, frames, copied, unheld.TotalMilliseconds, 0, 0, 0);
                return;
            }

            // The commits made during the last pass; returns at once when there are none.
            var held = Stopwatch.GetTimestamp();
            var (all, allCopied) = await _database.HoldingWritersAsync(() => Passive(connection), _stopping.Token);
            LogCheckpoint(_logger, frames, copied, unheld.TotalMilliseconds, all - frames, allCopied - copied,
                Stopwatch.GetElapsedTime(held).TotalMilliseconds);
        }
    }

    private static (long Frames, long Copied) Passive(SqliteConnection connection)
    {
        using var command = connection.Command("PRAGMA wal_checkpoint(PASSIVE)");
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(1), reader.GetInt64(2));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _loop;
        _stopping.Dispose();
        _self.Free();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "checkpoint PASSIVE: {Frames} frames, {Copied} backfilled, in {Milliseconds:F1} ms; then {Added} frames more, {AddedCopied} backfilled with writers held, in {HeldMilliseconds:F1} ms")]
    private static partial void LogCheckpoint(ILogger logger, long frames, long copied, double milliseconds, long added, long addedCopied, double heldMilliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A WAL checkpoint failed; the next one retries")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    /// <param name="ThresholdFrames">
    /// WAL pages (frames, 4 KiB each) that start a checkpoint. SQLite's auto-checkpoint uses 1,000; here the copying
    /// is off the writer's path, and a page changed by many commits is copied once per checkpoint, so fewer, larger
    /// checkpoints cost less (measured under scenario (b): 7 µs of CPU per event at 1,000, 3.3 at 4,000).
    /// </param>
    /// <param name="CapFrames">WAL size (frames) past which writers are held for the last pass whatever it copies.</param>
    internal readonly record struct Limits(int ThresholdFrames, int CapFrames)
    {
        /// <summary>4,000 frames (16 MB) start a checkpoint; the WAL is held to about 64k frames (256 MB).</summary>
        public static readonly Limits Default = new(4000, 65_536);
    }

    private static unsafe partial class NativeMethods
    {
        [LibraryImport("e_sqlite3")]
        internal static partial IntPtr sqlite3_wal_hook(IntPtr db, delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr, int, int> callback, IntPtr state);
    }
}
