using System.Threading.Channels;

namespace Pulse.Redis.Resp;

/// <summary>
/// Pub/sub over a dedicated connection (a subscribed RESP2 connection cannot run other commands). In a cluster
/// any node will do, since PUBLISH is broadcast to all nodes. When the connection dies a background loop
/// reconnects, to any known endpoint, and subscribes every channel again.
/// </summary>
internal sealed partial class RedisSubscriber : IAsyncDisposable
{
    private const long HeartbeatIntervalMs = 1000;
    private const int MaxReconnectDelayMs = 1000;

    private static readonly RedisArg[] PingCommand = ["PING"];

    private readonly RedisConfiguration _configuration;
    private readonly Func<IEnumerable<RedisEndpoint>> _endpoints;
    private readonly CancellationToken _shutdown;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Action<string, ReadOnlyMemory<byte>>[]> _handlers = new(StringComparer.Ordinal);

    // Messages are handed from the socket reader to one dispatch loop, so a slow handler never stalls reading
    // and handlers see messages in publish order.
    private readonly Channel<(string Channel, byte[] Message)> _inbox =
        System.Threading.Channels.Channel.CreateUnbounded<(string, byte[])>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Task _dispatchLoop;

    private volatile NodeConnection? _connection;
    private Task<NodeConnection>? _connecting;
    private bool _reconnecting;
    private long _lastPingAt;

    public RedisSubscriber(RedisConfiguration configuration, Func<IEnumerable<RedisEndpoint>> endpoints, CancellationToken shutdown)
    {
        _configuration = configuration;
        _endpoints = endpoints;
        _shutdown = shutdown;
        _dispatchLoop = Task.Run(DispatchLoopAsync, CancellationToken.None);
    }

    /// <summary>
    /// Registers the handler and returns once Redis confirmed the subscription. On failure nothing stays
    /// registered, so the caller can simply retry later.
    /// </summary>
    public async Task<RedisSubscription> SubscribeAsync(string channel, Action<string, ReadOnlyMemory<byte>> handler, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _handlers[channel] = _handlers.TryGetValue(channel, out var existing) ? [.. existing, handler] : [handler];
        }
        try
        {
            var connection = await GetConnectionAsync(cancellationToken).ConfigureAwait(false);
            // Sent even when a reconnect already resubscribed the channel: SUBSCRIBE is idempotent and its
            // confirmation is what guarantees delivery of everything published after we return.
            var confirmation = connection.TrySend(["SUBSCRIBE", channel], asking: false, cancellationToken)
                ?? throw new RedisConnectionException($"The pub/sub connection to Redis {connection.Endpoint} closed.");
            var reply = await confirmation.ConfigureAwait(false);
            if (reply.IsError)
            {
                throw new RedisServerException(reply.AsString()!);
            }
            return new RedisSubscription(this, channel, handler);
        }
        catch
        {
            await RemoveAsync(channel, handler).ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask RemoveAsync(string channel, Action<string, ReadOnlyMemory<byte>> handler)
    {
        lock (_lock)
        {
            if (!_handlers.TryGetValue(channel, out var existing))
            {
                return;
            }
            var remaining = existing.Where(h => h != handler).ToArray();
            if (remaining.Length > 0)
            {
                _handlers[channel] = remaining;
                return;
            }
            _handlers.Remove(channel);
        }
        // Best effort: if this fails the server keeps sending messages nobody handles, which are dropped.
        if (_connection?.TrySend(["UNSUBSCRIBE", channel], asking: false, CancellationToken.None) is { } reply)
        {
            try
            {
                await reply.ConfigureAwait(false);
            }
            catch (RedisException)
            {
            }
        }
    }

    /// <summary>Driven by the client's timer: command timeouts, and a heartbeat that exposes dead sockets.</summary>
    public void OnTimer(long now)
    {
        var connection = _connection;
        if (connection is null || !connection.IsOpen)
        {
            return;
        }
        connection.CheckTimeouts(now);
        if (now - _lastPingAt >= HeartbeatIntervalMs)
        {
            _lastPingAt = now;
            connection.SendAndForget(PingCommand);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _inbox.Writer.TryComplete();
        _connection?.Close(new RedisConnectionException("The Redis connection was disposed."));
        await _dispatchLoop.ConfigureAwait(false);
    }

    /// <summary>Reader-thread hook: claims "message" pushes; everything else is a reply to a queued command.</summary>
    private bool OnReply(RedisResult reply)
    {
        if (reply.Type != RedisResultType.Array
            || reply.AsArray() is not { Count: 3 } items
            || items[0].AsBytes() is not { } kind
            || !kind.AsSpan().SequenceEqual("message"u8))
        {
            return false;
        }
        _inbox.Writer.TryWrite((items[1].AsString()!, items[2].AsBytes() ?? []));
        return true;
    }

    private async Task DispatchLoopAsync()
    {
        await foreach (var (channel, message) in _inbox.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            Action<string, ReadOnlyMemory<byte>>[]? handlers;
            lock (_lock)
            {
                _handlers.TryGetValue(channel, out handlers);
            }
            foreach (var handler in handlers ?? [])
            {
                try
                {
                    handler(channel, message);
                }
#pragma warning disable CA1031 // A throwing handler must not stop delivery to the others or kill the loop.
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            }
        }
    }
}
