using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pulse.Core.Caching;
using Pulse.Redis.Resp;

namespace Pulse.Redis;

/// <summary>
/// The shared lookup cache in Redis. Redis is an accelerator, never a dependency of correctness: any Redis
/// failure is logged and reported as a miss (reads) or skipped (writes), and the caller uses the database.
/// Invalidations are broadcast on a pub/sub channel so every instance drops its in-memory copy.
/// </summary>
public sealed partial class RedisSharedCache(RedisClient redis, ILogger<RedisSharedCache> logger) : ISharedCache, IHostedService
{
    private const string InvalidationChannel = "cache-invalidation";
    private readonly CancellationTokenSource _stopping = new();
    private Action<string>? _handlers;
    private Task? _subscriber;

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await redis.GetAsync(cancellationToken);
            return await connection.StringGetBytesAsync(redis.Key(key), cancellationToken);
        }
        catch (RedisException exception)
        {
            LogUnavailable(logger, "read", exception.Message);
            return null;
        }
    }

    public async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await redis.GetAsync(cancellationToken);
            await connection.StringSetAsync(redis.Key(key), value, timeToLive, onlyIfNotExists: false, cancellationToken);
        }
        catch (RedisException exception)
        {
            LogUnavailable(logger, "write", exception.Message);
        }
    }

    public async ValueTask InvalidateAsync(string key, CancellationToken cancellationToken)
    {
        _handlers?.Invoke(key);
        try
        {
            var connection = await redis.GetAsync(cancellationToken);
            await connection.KeyDeleteAsync(redis.Key(key), cancellationToken);
            await connection.PublishAsync(redis.Key(InvalidationChannel), key, cancellationToken);
        }
        catch (RedisException exception)
        {
            // The entry expires with its TTL; until then other instances may serve the old copy.
            LogUnavailable(logger, "invalidate", exception.Message);
        }
    }

    public void OnInvalidated(Action<string> handler) => _handlers += handler;

    /// <summary>
    /// Subscribes to invalidations in the background, retrying every second while Redis is unreachable, so an
    /// instance that starts during an outage still hears invalidations once Redis is back.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscriber = Task.Run(() => SubscribeUntilStoppedAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_subscriber is not null)
        {
            await _subscriber.WaitAsync(cancellationToken);
        }
    }

    private async Task SubscribeUntilStoppedAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var connection = await redis.GetAsync(stopping);
                await connection.SubscribeAsync(
                    redis.Key(InvalidationChannel),
                    (_, message) => _handlers?.Invoke(Encoding.UTF8.GetString(message.Span)),
                    stopping);
                return;
            }
            catch (RedisException exception)
            {
                LogUnavailable(logger, "subscribe", exception.Message);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unavailable for cache {Operation}; using the database: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string operation, string reason);
}
