namespace Pulse.Redis.Resp;

/// <summary>
/// A node's command connection and its lifecycle: connects lazily on first use, reconnects after the
/// connection dies, and after a failed connect fails commands immediately for a short backoff instead of
/// hammering (or waiting on) a node that is down.
/// </summary>
internal sealed class RedisNode
{
    internal const int ReconnectBackoffMs = 250;

    private readonly RedisConfiguration _configuration;
    private readonly Action<RedisNode> _onConnectionLost;
    private readonly CancellationToken _shutdown;
    private readonly Lock _lock = new();
    private volatile NodeConnection? _connection;
    private Task<NodeConnection>? _connecting;
    private long _lastFailureAt = long.MinValue / 2;
    private RedisConnectionException? _lastFailure;

    public RedisNode(RedisEndpoint endpoint, RedisConfiguration configuration, Action<RedisNode> onConnectionLost, CancellationToken shutdown)
    {
        Endpoint = endpoint;
        _configuration = configuration;
        _onConnectionLost = onConnectionLost;
        _shutdown = shutdown;
    }

    public RedisEndpoint Endpoint { get; }

    public bool IsConnected => _connection?.IsOpen == true;

    /// <summary>Sends one command and returns its reply, error replies included.</summary>
    /// <exception cref="RedisConnectionException">No connection could be used; nothing was sent, or the connection died before replying.</exception>
    /// <exception cref="RedisTimeoutException">The reply did not arrive within the command timeout.</exception>
    public async Task<RedisResult> ExecuteAsync(IReadOnlyList<RedisArg> args, bool asking, CancellationToken cancellationToken)
    {
        // A connection can close between fetching it and queueing on it; nothing was sent then, so one retry is safe.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var connection = _connection;
            if (connection?.IsOpen != true)
            {
                connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
            }
            var reply = connection.TrySend(args, asking, cancellationToken);
            if (reply is not null)
            {
                return await reply.ConfigureAwait(false);
            }
        }
        throw new RedisConnectionException($"The connection to Redis {Endpoint} closed before the command could be sent.");
    }

    public void CheckTimeouts(long now) => _connection?.CheckTimeouts(now);

    public void Close(RedisConnectionException reason)
    {
        _connection?.Close(reason);
    }

    private async Task<NodeConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        Task<NodeConnection> attempt;
        lock (_lock)
        {
            if (_connection is { IsOpen: true } open)
            {
                return open;
            }
            if (_connecting is null)
            {
                var sinceFailure = Environment.TickCount64 - _lastFailureAt;
                if (sinceFailure < ReconnectBackoffMs)
                {
                    throw new RedisConnectionException(
                        $"Redis {Endpoint} is unavailable (next connect attempt in {ReconnectBackoffMs - sinceFailure} ms): {_lastFailure?.Message}",
                        _lastFailure);
                }
                // Task.Run: the attempt must not complete inside this lock, and one attempt serves all waiting callers.
                _connecting = Task.Run(ConnectOnceAsync, CancellationToken.None).Observed();
            }
            attempt = _connecting;
        }
        return await attempt.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<NodeConnection> ConnectOnceAsync()
    {
        try
        {
            var connection = await NodeConnection.ConnectAsync(Endpoint, _configuration, pushHandler: null, _shutdown).ConfigureAwait(false);
            lock (_lock)
            {
                _connection = connection;
                _connecting = null;
            }
            connection.OnClosed((_, _) => _onConnectionLost(this));
            if (_shutdown.IsCancellationRequested)
            {
                connection.Close(new RedisConnectionException("The Redis connection was disposed."));
            }
            return connection;
        }
        catch (RedisConnectionException ex)
        {
            lock (_lock)
            {
                _lastFailureAt = Environment.TickCount64;
                _lastFailure = ex;
                _connecting = null;
            }
            throw;
        }
    }
}
