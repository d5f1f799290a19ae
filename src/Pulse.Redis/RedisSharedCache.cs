using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pulse.Core.Caching;
using StackExchange.Redis;

namespace Pulse.Redis;

/// <summary>
/// The shared lookup cache in Redis. Redis is an accelerator, never a dependency of correctness: any Redis
/// failure is logged and reported as a miss (reads) or skipped (writes), and the caller uses the database.
/// Invalidations are broadcast on a pub/sub channel so every instance drops its in-memory copy.
/// </summary>
public sealed partial class RedisSharedCache(RedisKeyspace redis, ILogger<RedisSharedCache> logger) : ISharedCache, IHostedService
{
    private readonly RedisChannel _invalidations = redis.Channel("cache-invalidation");
    private Action<string>? _handlers;

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await redis.Database.StringGetAsync(redis.Key(key));
        }
        catch (Exception exception) when (RedisFailures.Is(exception))
        {
            LogUnavailable(logger, "read", exception.Message);
            return null;
        }
    }

    public async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        try
        {
            await redis.Database.StringSetAsync(redis.Key(key), value, timeToLive);
        }
        catch (Exception exception) when (RedisFailures.Is(exception))
        {
            LogUnavailable(logger, "write", exception.Message);
        }
    }

    public async ValueTask InvalidateAsync(string key, CancellationToken cancellationToken)
    {
        _handlers?.Invoke(key);
        try
        {
            await redis.Database.KeyDeleteAsync(redis.Key(key));
        }
        catch (Exception exception) when (RedisFailures.Is(exception))
        {
            // The entry expires with its TTL; until then instances that miss in memory may read the old copy.
            LogUnavailable(logger, "invalidate", exception.Message);
        }

        try
        {
            await redis.Connection.GetSubscriber().PublishAsync(_invalidations, key);
        }
        catch (Exception exception) when (RedisFailures.Is(exception))
        {
            // Other instances keep their in-memory copy until it is evicted.
            LogUnavailable(logger, "broadcast an invalidation", exception.Message);
        }
    }

    public void OnInvalidated(Action<string> handler) => _handlers += handler;

    /// <summary>
    /// Subscribes to invalidations. The multiplexer keeps the subscription even when Redis is unreachable now, and
    /// (re)establishes it whenever a connection comes up, on any node of a cluster (PUBLISH reaches every node), so an
    /// instance that starts during an outage or loses its node still hears invalidations once Redis answers again.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await redis.Connection.GetSubscriber().SubscribeAsync(_invalidations, (_, message) => _handlers?.Invoke(message!));
        }
        catch (Exception exception) when (RedisFailures.Is(exception))
        {
            LogUnavailable(logger, "subscribe (retried when Redis is back)", exception.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unavailable for cache {Operation}; using the database: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string operation, string reason);
}
