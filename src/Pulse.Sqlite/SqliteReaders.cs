using Microsoft.Data.Sqlite;

namespace Pulse.Sqlite;

/// <summary>
/// The connections reads run on, owned by <see cref="SqliteDatabase"/>: each opened (and its PRAGMAs run) once and then
/// lent to one read at a time, instead of a pooled connection taken from Microsoft.Data.Sqlite's pool and given its
/// three PRAGMAs for every read (docs/performance.md, "Embedded mode", section 6).
/// <para>
/// A read that finds no idle reader opens another one (it does not wait: a long search must not hold up short
/// reads); at most <see cref="MaxIdle"/> are kept when they come back, the rest are closed. A reader comes back
/// only if its read left no transaction or statement open (<see cref="SqliteReader.IsIdle"/>), so every read begins
/// a read transaction of its own and, in WAL mode, sees every commit made before it began. Readers are opened with
/// <c>query_only</c>: they cannot write, so a write that slipped into a read fails instead of committing outside
/// the writer's lock and its log sync.
/// </para>
/// <para>
/// Disposal closes the idle readers and waits until the lent ones come back, closing them then; a read that starts
/// afterwards is refused before it opens anything, so the file is never opened after disposal has returned.
/// </para>
/// </summary>
internal sealed class SqliteReaders(Func<CancellationToken, Task<SqliteConnection>> open)
{
    /// <summary>
    /// Readers kept open while idle. Reads on two cores rarely overlap more than a few deep; each kept reader costs a
    /// file handle and up to SQLite's default page cache (2 MB) once used.
    /// </summary>
    internal const int MaxIdle = 8;

    private readonly Lock _lock = new();
    private readonly Stack<SqliteReader> _idle = new(); // guarded by _lock
    private readonly TaskCompletionSource _returned = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _lent;      // readers lent out or being opened; guarded by _lock
    private bool _disposed; // guarded by _lock
    private long _opened;

    /// <summary>How many reader connections were opened in all.</summary>
    internal long Opened => Interlocked.Read(ref _opened);

    /// <summary>How many readers are open and idle.</summary>
    internal int IdleCount
    {
        get
        {
            lock (_lock)
            {
                return _idle.Count;
            }
        }
    }

    public async Task<T> ReadAsync<T>(Func<SqliteReader, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var reader = await RentAsync(cancellationToken);
        var keep = false;
        try
        {
            var result = await work(reader, cancellationToken);
            keep = reader.IsIdle;
            return result;
        }
        finally
        {
            // After a failure the reader is closed rather than kept, as the writer is: nothing a failed statement left
            // behind carries over to the next read.
            Return(reader, keep);
        }
    }

    private async Task<SqliteReader> RentAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _lent++;
            if (_idle.TryPop(out var idle))
            {
                return idle;
            }
        }

        try
        {
            var connection = await open(cancellationToken);
            Interlocked.Increment(ref _opened);
            return new SqliteReader(connection);
        }
        catch
        {
            Returned();
            throw;
        }
    }

    private void Return(SqliteReader reader, bool keep)
    {
        lock (_lock)
        {
            keep = keep && !_disposed && _idle.Count < MaxIdle;
            if (keep)
            {
                _idle.Push(reader);
            }
        }

        if (!keep)
        {
            reader.Dispose();
        }

        Returned();
    }

    private void Returned()
    {
        lock (_lock)
        {
            if (--_lent == 0 && _disposed)
            {
                _returned.TrySetResult();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        SqliteReader[] idle;
        bool lent;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
            lent = _lent > 0;
        }

        foreach (var reader in idle)
        {
            reader.Dispose();
        }

        if (lent)
        {
            await _returned.Task;
        }
    }
}
