namespace Pulse.Redis.Resp;

internal sealed partial class RedisSubscriber
{
    private async Task<NodeConnection> GetConnectionAsync(CancellationToken cancellationToken)
    {
        Task<NodeConnection> attempt;
        lock (_lock)
        {
            if (_connection is { IsOpen: true } open)
            {
                return open;
            }
            _connecting ??= Task.Run(ConnectAndResubscribeAsync, CancellationToken.None).Observed();
            attempt = _connecting;
        }
        return await attempt.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Connects to the first endpoint that answers and subscribes every registered channel there.</summary>
    private async Task<NodeConnection> ConnectAndResubscribeAsync()
    {
        RedisException? lastFailure = null;
        var connected = false;
        try
        {
            foreach (var endpoint in _endpoints())
            {
                NodeConnection? connection = null;
                try
                {
                    connection = await NodeConnection.ConnectAsync(endpoint, _configuration, OnReply, _shutdown).ConfigureAwait(false);
                    string[] channels;
                    lock (_lock)
                    {
                        channels = [.. _handlers.Keys];
                    }
                    var confirmations = channels
                        .Select(channel => connection.TrySend(["SUBSCRIBE", channel], asking: false, CancellationToken.None)
                            ?? throw new RedisConnectionException($"The pub/sub connection to Redis {endpoint} closed while resubscribing."))
                        .ToArray();
                    await Task.WhenAll(confirmations).Observed().WaitAsync(_configuration.CommandTimeout, _shutdown).ConfigureAwait(false);
                    lock (_lock)
                    {
                        _connection = connection;
                        _connecting = null;
                    }
                    connected = true;
                    connection.OnClosed(OnConnectionClosed);
                    if (_shutdown.IsCancellationRequested)
                    {
                        // Disposed while the handshake finished: do not leave the socket behind.
                        connection.Close(new RedisConnectionException("The Redis connection was disposed."));
                    }
                    return connection;
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    lastFailure = ex as RedisException ?? new RedisTimeoutException($"Resubscribing on Redis {endpoint} timed out.", ex);
                    connection?.Close(new RedisConnectionException(lastFailure.Message, lastFailure));
                }
            }
            throw new RedisConnectionException($"No Redis endpoint accepted the pub/sub connection: {lastFailure?.Message}", lastFailure);
        }
        catch (OperationCanceledException ex)
        {
            throw new RedisConnectionException("The Redis connection was disposed.", ex);
        }
        finally
        {
            if (!connected)
            {
                lock (_lock)
                {
                    _connecting = null;
                }
            }
        }
    }

    private void OnConnectionClosed(NodeConnection connection, RedisConnectionException reason)
    {
        lock (_lock)
        {
            if (_connection != connection)
            {
                return;
            }
            _connection = null;
        }
        StartReconnectLoop();
    }

    private void StartReconnectLoop()
    {
        lock (_lock)
        {
            if (_reconnecting || _shutdown.IsCancellationRequested || _handlers.Count == 0)
            {
                return;
            }
            _reconnecting = true;
        }
        _ = Task.Run(ReconnectLoopAsync, CancellationToken.None);
    }

    private async Task ReconnectLoopAsync()
    {
        var delay = RedisNode.ReconnectBackoffMs;
        try
        {
            while (!_shutdown.IsCancellationRequested)
            {
                lock (_lock)
                {
                    if (_handlers.Count == 0)
                    {
                        break;
                    }
                }
                try
                {
                    await GetConnectionAsync(_shutdown).ConfigureAwait(false);
                    break;
                }
                catch (RedisException)
                {
                    // Still down; wait, backing off up to MaxReconnectDelayMs.
                }
                await Task.Delay(delay, _shutdown).ConfigureAwait(false);
                delay = Math.Min(delay * 2, MaxReconnectDelayMs);
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
        lock (_lock)
        {
            _reconnecting = false;
        }
        // The fresh connection may already have died between the loop's success and clearing the flag.
        if (_connection?.IsOpen != true)
        {
            StartReconnectLoop();
        }
    }
}
