using System.Diagnostics;

namespace Pulse.Redis.Resp;

// Typed helpers for the commands the product uses; anything else goes through ExecuteAsync.
public sealed partial class RedisConnection
{
    /// <summary>GET: the value's bytes, or null when the key does not exist.</summary>
    public async Task<byte[]?> StringGetBytesAsync(string key, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync(key, ["GET", key], cancellationToken).ConfigureAwait(false)).AsBytes();

    /// <summary>GET decoded as UTF-8, or null when the key does not exist.</summary>
    public async Task<string?> StringGetAsync(string key, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync(key, ["GET", key], cancellationToken).ConfigureAwait(false)).AsString();

    /// <summary>
    /// SET with an optional expiry (millisecond precision) and NX. Returns false only when
    /// <paramref name="onlyIfNotExists"/> is set and the key already existed.
    /// </summary>
    public async Task<bool> StringSetAsync(
        string key,
        RedisArg value,
        TimeSpan? expiry = null,
        bool onlyIfNotExists = false,
        CancellationToken cancellationToken = default)
    {
        var args = new List<RedisArg>(6) { "SET", key, value };
        if (expiry is { } ttl)
        {
            args.Add("PX");
            args.Add(ToPositiveMilliseconds(ttl, nameof(expiry)));
        }
        if (onlyIfNotExists)
        {
            args.Add("NX");
        }
        var reply = await ExecuteAsync(key, args, cancellationToken).ConfigureAwait(false);
        return !reply.IsNull;
    }

    /// <summary>DEL: true when the key existed.</summary>
    public async Task<bool> KeyDeleteAsync(string key, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync(key, ["DEL", key], cancellationToken).ConfigureAwait(false)).AsLong() == 1;

    /// <summary>PEXPIRE: true when the key exists and now expires after <paramref name="expiry"/>.</summary>
    public async Task<bool> KeyExpireAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync(key, ["PEXPIRE", key, ToPositiveMilliseconds(expiry, nameof(expiry))], cancellationToken).ConfigureAwait(false)).AsLong() == 1;

    /// <summary>PING round trip to one node.</summary>
    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        await ExecuteAsync(null, ["PING"], cancellationToken).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>PUBLISH: the number of subscribers that received the message (on the node that took it, in a cluster).</summary>
    public async Task<long> PublishAsync(string channel, RedisArg message, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync(null, ["PUBLISH", channel, message], cancellationToken).ConfigureAwait(false)).AsLong();

    /// <summary>
    /// Subscribes <paramref name="handler"/> to <paramref name="channel"/> on a dedicated connection and returns once
    /// Redis confirmed it. The subscription survives reconnects (messages published while disconnected are lost, as
    /// with any Redis pub/sub). Handlers run one at a time, in publish order, on a background thread; keep them short.
    /// If this throws, nothing was registered.
    /// </summary>
    public Task<RedisSubscription> SubscribeAsync(string channel, Action<string, ReadOnlyMemory<byte>> handler, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentNullException.ThrowIfNull(handler);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _subscriber.SubscribeAsync(channel, handler, cancellationToken);
    }

    private static long ToPositiveMilliseconds(TimeSpan value, string parameterName)
    {
        var milliseconds = (long)Math.Ceiling(value.TotalMilliseconds);
        return milliseconds > 0
            ? milliseconds
            : throw new ArgumentOutOfRangeException(parameterName, value, "Redis expiries must be positive.");
    }
}
