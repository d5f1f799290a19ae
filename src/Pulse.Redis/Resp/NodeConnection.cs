using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace Pulse.Redis.Resp;

/// <summary>
/// One TCP connection to one node, shared by every caller. Callers serialize their command into a buffer under
/// a short lock and queue a <see cref="PendingCommand"/>; a single flush loop sends whatever accumulated in one
/// socket write (pipelining), and a single reader loop completes pending commands in FIFO order.
/// </summary>
internal sealed partial class NodeConnection : IThreadPoolWorkItem
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private readonly ConcurrentQueue<PendingCommand> _pending = new();
    private readonly Func<RedisResult, bool>? _pushHandler;
    private volatile Action<NodeConnection, RedisConnectionException>? _onClosed;
    private RedisConnectionException? _closeReason;
    private readonly long _timeoutMs;
    private readonly long _deadAfterMs;

    // Guards _output, _flushScheduled and _closed, and keeps queue order equal to byte order on the wire.
    private readonly Lock _writeLock = new();
    private OutputBuffer _output = new();
    private OutputBuffer _sending = new();
    private bool _flushScheduled;
    private volatile bool _closed;

    private NodeConnection(
        RedisEndpoint endpoint,
        Socket socket,
        TimeSpan commandTimeout,
        Func<RedisResult, bool>? pushHandler)
    {
        Endpoint = endpoint;
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        // Zero-byte reads keep idle connections from pinning a receive buffer.
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 4096, leaveOpen: true, useZeroByteReads: true));
        _pushHandler = pushHandler;
        _timeoutMs = (long)commandTimeout.TotalMilliseconds;
        // A connection whose oldest command has had no reply for this long is dead (e.g. a silently dropped
        // peer): closing it fails everything queued behind and lets the next command reconnect.
        _deadAfterMs = 2 * _timeoutMs;
        _ = ReadLoopAsync();
    }

    public RedisEndpoint Endpoint { get; }

    public bool IsOpen => !_closed;

    /// <summary>
    /// Queues a command and returns its reply task, or null when the connection is already closed (nothing was sent).
    /// With <paramref name="asking"/>, an ASKING command precedes it in the same write, as a cluster ASK redirect requires.
    /// </summary>
    public Task<RedisResult>? TrySend(IReadOnlyList<RedisArg> args, bool asking, CancellationToken cancellationToken)
    {
        var command = new PendingCommand(args[0].AsText);
        if (!TryEnqueue(command, args, asking))
        {
            return null;
        }
        return cancellationToken.CanBeCanceled ? command.WaitAsync(cancellationToken) : command.Task;
    }

    /// <summary>Sends a command whose reply is ignored (heartbeat); failures surface through the connection closing.</summary>
    public void SendAndForget(IReadOnlyList<RedisArg> args) =>
        TryEnqueue(new PendingCommand(args[0].AsText, discardReply: true), args, asking: false);

    private bool TryEnqueue(PendingCommand command, IReadOnlyList<RedisArg> args, bool asking)
    {
        bool scheduleFlush;
        lock (_writeLock)
        {
            if (_closed)
            {
                return false;
            }
            var now = Environment.TickCount64;
            var start = _output.Length;
            try
            {
                if (asking)
                {
                    _output.WriteCommand(AskingCommand);
                }
                _output.WriteCommand(args);
            }
            catch
            {
                // Never leave half a command on the wire: the FIFO pairing of replies depends on it.
                _output.Truncate(start);
                throw;
            }
            if (asking)
            {
                _pending.Enqueue(new PendingCommand("ASKING", discardReply: true) { EnqueuedAt = now });
            }
            command.EnqueuedAt = now;
            _pending.Enqueue(command);
            scheduleFlush = !_flushScheduled;
            _flushScheduled = true;
        }
        if (scheduleFlush)
        {
            // Flushing on another thread lets commands from concurrent callers pile up and leave in one write.
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
        return true;
    }

    void IThreadPoolWorkItem.Execute() => _ = FlushLoopAsync();

    private async Task FlushLoopAsync()
    {
        try
        {
            while (true)
            {
                OutputBuffer batch;
                lock (_writeLock)
                {
                    if (_closed || _output.Length == 0)
                    {
                        _flushScheduled = false;
                        return;
                    }
                    batch = _output;
                    _output = _sending;
                    _sending = batch;
                }
                await _stream.WriteAsync(batch.WrittenMemory).ConfigureAwait(false);
                batch.Reset();
            }
        }
        catch (Exception ex)
        {
            // Typically IOException or ObjectDisposedException; whatever it is, the bytes may be half sent.
            Close(new RedisConnectionException($"Writing to Redis {Endpoint} failed: {ex.Message}", ex));
        }
    }

    private async Task ReadLoopAsync()
    {
        Exception? error = null;
        try
        {
            while (true)
            {
                var read = await _reader.ReadAsync().ConfigureAwait(false);
                var buffer = read.Buffer;
                _reader.AdvanceTo(ProcessReplies(buffer), buffer.End);
                if (read.IsCompleted || read.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception ex)
        {
            // Whatever broke (socket, protocol, a bug), the connection can no longer pair replies with commands.
            error = ex;
        }
        var reason = error is null
            ? $"Redis {Endpoint} closed the connection."
            : $"Connection to Redis {Endpoint} lost: {error.Message}";
        Close(new RedisConnectionException(reason, error));
        await _reader.CompleteAsync().ConfigureAwait(false);
    }

    private SequencePosition ProcessReplies(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (RespParser.TryRead(ref reader, out var reply))
        {
            if (_pushHandler?.Invoke(reply!) == true)
            {
                continue;
            }
            if (!_pending.TryDequeue(out var command))
            {
                throw new InvalidDataException($"Redis {Endpoint} sent a reply no command was waiting for: {reply}");
            }
            command.TrySetResult(reply!);
        }
        return reader.Position;
    }

    /// <summary>
    /// Called periodically: fails commands older than the command timeout and closes the connection when
    /// the oldest one has waited so long that the peer must be gone.
    /// </summary>
    public void CheckTimeouts(long now)
    {
        if (_closed || !_pending.TryPeek(out var oldest) || now - oldest.EnqueuedAt < _timeoutMs)
        {
            return;
        }
        // Pending commands stay queued (their replies may still come and must be consumed in order); only the callers stop waiting.
        foreach (var command in _pending)
        {
            if (now - command.EnqueuedAt < _timeoutMs)
            {
                break;
            }
            if (!command.DiscardReply && !command.Task.IsCompleted)
            {
                command.TrySetException(new RedisTimeoutException(
                    $"Timeout after {_timeoutMs} ms waiting for the reply to {command.Name ?? "a command"} from Redis {Endpoint} ({_pending.Count} commands pending)."));
            }
        }
        // Checked after the timeouts, so a late timer tick still reports expired commands as timeouts.
        if (now - oldest.EnqueuedAt >= _deadAfterMs)
        {
            Close(new RedisConnectionException(
                $"Redis {Endpoint} has not replied for {now - oldest.EnqueuedAt} ms; closing the connection so the next command reconnects."));
        }
    }

    /// <summary>
    /// Registers the owner's callback once the handshake succeeded (a failed handshake is reported by the
    /// connect call itself). Fires at once if the connection already died in between.
    /// </summary>
    public void OnClosed(Action<NodeConnection, RedisConnectionException> handler)
    {
        _onClosed = handler;
        if (_closed)
        {
            handler(this, _closeReason!);
        }
    }

    /// <summary>Closes the socket and fails every pending command with <paramref name="reason"/>. Idempotent.</summary>
    public void Close(RedisConnectionException reason)
    {
        lock (_writeLock)
        {
            if (_closed)
            {
                return;
            }
            _closeReason = reason;
            _closed = true;
        }
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already disconnected; disposing below is all that is left to do.
        }
        catch (ObjectDisposedException)
        {
        }
        _socket.Dispose();
        while (_pending.TryDequeue(out var command))
        {
            if (command.DiscardReply)
            {
                // Nobody awaits these; a fault would only be reported as unobserved.
                command.TrySetCanceled();
            }
            else
            {
                command.TrySetException(new RedisConnectionException(reason.Message, reason.InnerException));
            }
        }
        _onClosed?.Invoke(this, reason);
    }
}
