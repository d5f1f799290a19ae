using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pulse.Core.Pipeline;

namespace Pulse.Sqlite;

/// <summary>
/// The embedded database: one SQLite file in WAL mode. SQLite allows one writer at a time, so writes are
/// serialised here (instead of spinning on SQLITE_BUSY) on one long-lived writer connection, while reads run
/// concurrently on long-lived reader connections (<see cref="SqliteReaders"/>).
/// <para>
/// A write returns only once durable (it survives a power loss), as a PostgreSQL commit does. The writer does not
/// sync in its commit: <see cref="SqliteWalSync"/> syncs the WAL for every commit written so far while the next
/// transaction is written, which is why a write pipeline can overlap them (<see cref="ICommitDurability"/>).
/// WAL checkpoints run on their own connection in the background (<see cref="SqliteCheckpointer"/>).
/// </para>
/// </summary>
public sealed class SqliteDatabase : ICommitDurability, IAsyncDisposable
{
    // FULL: a commit that returned survives power loss. The writer connection uses NORMAL plus SqliteWalSync
    // instead, which keeps that promise (see there) without holding the writer for the sync.
    private const string ConnectionPragmas = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;";

    // Readers get the same settings (run once per reader, so they cost nothing per read) and cannot write at all.
    private const string ReaderPragmas = ConnectionPragmas + " PRAGMA query_only=ON;";

    private readonly string _connectionString;
    private readonly string _unpooledConnectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SqliteCheckpointer? _checkpointer;
    private readonly SqliteWalSync? _walSync;
    private readonly AsyncLocal<bool> _deferDurability = new();
    private SqliteConnection? _writer; // guarded by _writeLock
    private string? _writerWal;        // the writer's WAL file when SqliteWalSync makes its commits durable
    private readonly Lazy<Task> _walTruncation; // once: see TruncateWalAsync
    private readonly SqliteReaders _readers;
    private int _disposed;

    public SqliteDatabase(string connectionString, ILogger? logger = null)
        : this(connectionString, logger, SqliteCheckpointer.Limits.Default)
    {
    }

    /// <summary>With other checkpoint limits: tests make them small to reach them quickly.</summary>
    internal SqliteDatabase(string connectionString, ILogger? logger, SqliteCheckpointer.Limits checkpoints)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true };
        var inMemory = builder.DataSource is ":memory:" or "" || builder.Mode == SqliteOpenMode.Memory;
        if (!inMemory)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            _checkpointer = new SqliteCheckpointer(this, logger ?? NullLogger.Instance, checkpoints);
            _walSync = SqliteWalSync.IsSupported ? new SqliteWalSync() : null;
        }

        _walTruncation = new(TruncateWalOnceAsync);
        _connectionString = builder.ToString();
        _unpooledConnectionString = new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString();
        _readers = new SqliteReaders(OpenReaderAsync);
    }

    /// <summary>Why writes are refused, when a sync of the log failed (see <see cref="SqliteWalSync"/>).</summary>
    public Exception? Failure => _walSync?.Failure;

    /// <summary>Whether commits are made durable by <see cref="SqliteWalSync"/> (Linux), and how far it got.</summary>
    internal (long Written, long Durable)? WalSyncPositions => _walSync?.Positions;

    public Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => OpenAsync(_connectionString, cancellationToken);

    /// <summary>A connection of its own, closed (not pooled) when disposed: the writer's and the checkpointer's.</summary>
    internal Task<SqliteConnection> OpenUnpooledAsync(CancellationToken cancellationToken) => OpenAsync(_unpooledConnectionString, cancellationToken);

    /// <summary>The reader connections, for tests.</summary>
    internal SqliteReaders Readers => _readers;

    private static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken cancellationToken, string pragmas = ConnectionPragmas)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        using var pragma = connection.CreateCommand();
        pragma.CommandText = pragmas;
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>A reader connection: not pooled (the readers keep it, and disposal closes it), unable to write.</summary>
    private Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken) => OpenAsync(_unpooledConnectionString, cancellationToken, ReaderPragmas);

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction, committing when it returns; returns once the commit
    /// is durable (or, inside <see cref="DeferAsync{T}"/>, once it is written).
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        T result;
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
            if (Failure is { } failure)
            {
                throw new IOException("The embedded database's log could not be synced to disk; restart Pulse.", failure);
            }

            var connection = _writer ??= await OpenWriterAsync(cancellationToken);
            try
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
                result = await work(connection, transaction, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                if (_writerWal is not null)
                {
                    _walSync!.Committed(_writerWal);
                }
            }
            catch
            {
                // The transaction was rolled back when it was disposed. The connection is opened anew for the next
                // write, so that nothing a failed statement or an I/O error left behind carries over.
                await CloseWriterAsync();
                throw;
            }
        }
        finally
        {
            _writeLock.Release();
        }

        if (!_deferDurability.Value)
        {
            await WhenDurableAsync();
        }

        return result;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a reader connection (read-only). It sees every write that returned before it
    /// began; it must dispose what it executes (readers, commands) before it returns.
    /// </summary>
    public Task<T> ReadAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        _readers.ReadAsync((SqliteReader reader, CancellationToken ct) => work(reader.Connection, ct), cancellationToken);

    /// <summary>
    /// As <see cref="ReadAsync{T}(Func{SqliteConnection, CancellationToken, Task{T}}, CancellationToken)"/>, with the
    /// reader itself, whose <see cref="SqliteReader.Statement"/> keeps statements compiled for the next read.
    /// </summary>
    public Task<T> ReadPreparedAsync<T>(Func<SqliteReader, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        _readers.ReadAsync(work, cancellationToken);

    public async Task<T> DeferAsync<T>(Func<Task<T>> commit)
    {
        // Set in this async method's own execution context: it flows into the commits below and is gone again
        // for the caller when this returns.
        _deferDurability.Value = true;
        return await commit();
    }

    public Task WhenDurableAsync() => _walSync?.WhenDurableAsync() ?? Task.CompletedTask;

    /// <summary>Runs <paramref name="work"/> while no write transaction is open or can begin.</summary>
    internal async Task<T> HoldingWritersAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            return work();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task<SqliteConnection> OpenWriterAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenUnpooledAsync(cancellationToken);
        _checkpointer?.Watch(connection);
        _writerWal = null;
        if (_walSync is not null)
        {
            await using var mode = connection.Command("PRAGMA journal_mode");
            if (await mode.ExecuteScalarAsync(cancellationToken) is "wal")
            {
                await using var normal = connection.Command("PRAGMA synchronous=NORMAL");
                await normal.ExecuteNonQueryAsync(cancellationToken);
                _writerWal = connection.DataSource + "-wal";
            }
        }

        return connection;
    }

    private async Task CloseWriterAsync()
    {
        if (_writer is null)
        {
            return;
        }

        _walSync?.WriterClosing();
        await _writer.DisposeAsync();
        _writer = null;
    }

    public async ValueTask DisposeAsync()
    {
        // The host disposes its services more than once (DisposeAsync, then Dispose); a second pass must not open the
        // file again, which may already be deleted.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Reads end first: the readers are closed (a read still running is waited for), and none opens again.
        await _readers.DisposeAsync();

        // The writer goes next: once it is closed nothing commits, so the checkpointer's WAL hook (and the handle it
        // is called with) is not used again when the checkpointer is disposed.
        await _writeLock.WaitAsync();
        try
        {
            await CloseWriterAsync();
        }
        finally
        {
            _writeLock.Release();
        }

        if (_checkpointer is not null)
        {
            await _checkpointer.DisposeAsync();
        }
    }

    /// <summary>
    /// Copies the whole WAL into the database file and empties it, so that the next start does not read it back (a
    /// start reads the whole WAL to rebuild its index: 1.0-1.6 s over a 78 MB WAL and a 1.6 GB file, measured in
    /// bench (i)). Run when the host stops, after the write pipelines drained (<see cref="SqliteWalTruncation"/>);
    /// not on disposal, which a host may run more than once and after its files were deleted.
    /// </summary>
    /// <remarks>
    /// Runs once, and every caller waits for that one run: a host started by <c>RunAsync</c> is stopped twice at
    /// once when something else stops it too (WebApplicationFactory does, while the program's <c>RunAsync</c> answers
    /// the same shutdown), and a second run after the first returned could open the file after its owner deleted it
    /// (seen in CI: "unable to open database file" from a test host stopped after its directory was removed).
    /// After disposal it does nothing.
    /// </remarks>
    internal Task TruncateWalAsync(CancellationToken cancellationToken)
    {
        return _walTruncation.Value.WaitAsync(cancellationToken);
    }

    private async Task TruncateWalOnceAsync()
    {
        if (_checkpointer is null || Volatile.Read(ref _disposed) == 1)
        {
            return; // in memory, or closed
        }

        await using var connection = await OpenUnpooledAsync(CancellationToken.None);
        await using var truncate = connection.Command("PRAGMA wal_checkpoint(TRUNCATE)");
        await truncate.ExecuteNonQueryAsync();
    }
}
