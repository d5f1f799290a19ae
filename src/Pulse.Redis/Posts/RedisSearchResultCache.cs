using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pulse.Core.Posts;
using StackExchange.Redis;

namespace Pulse.Redis.Posts;

/// <summary>
/// Search results in Redis (<c>{prefix}search:result:{keyword}</c>, expiring with the entry) and the keyword's fill
/// lock (<c>{prefix}search:lock:{keyword}</c>: <c>SET NX PX</c>, released by a compare-and-delete script so a
/// holder whose lease ran out cannot delete its successor's lock). Each command touches one key, so any keyword
/// works on a Redis Cluster. Redis failures are logged and reported as unavailable, never thrown.
/// </summary>
public sealed partial class RedisSearchResultCache(RedisKeyspace redis, ILogger<RedisSearchResultCache> logger) : ISearchResultCache, ISearchResultEviction
{
    // KEYS[1]: the lock. ARGV[1]: the token it must still hold.
    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
            return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    private readonly RedisKey _results = redis.Prefix("search:result:"u8);
    private readonly RedisKey _locks = redis.Prefix("search:lock:"u8);

    public RedisKey ResultKey(string keyword) => _results.Append(keyword);

    public RedisKey LockKey(string keyword) => _locks.Append(keyword);

    /// <summary>Erasure: Redis must answer, or the erasure fails and is resumed later (it may not leave results behind).</summary>
    public async ValueTask EvictAsync(string keyword, CancellationToken cancellationToken) =>
        await redis.Database.KeyDeleteAsync(ResultKey(keyword));

    public async ValueTask<CacheRead> GetAsync(string keyword, CancellationToken cancellationToken)
    {
        byte[]? bytes;
        try
        {
            bytes = await redis.Database.StringGetAsync(ResultKey(keyword));
        }
        catch (Exception exception) when (RedisFailures.Is(exception))
        {
            LogUnavailable(logger, "read", exception.Message);
            return CacheRead.Unavailable;
        }

        if (bytes is null)
        {
            return CacheRead.Miss;
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, PostsStorageJsonContext.Default.SearchCacheEntry) is { } entry
                ? CacheRead.Hit(entry)
                : CacheRead.Miss;
        }
        catch (JsonException)
        {
            // Written by an incompatible version: a miss, which the next fill overwrites.
            return CacheRead.Miss;
        }
    }

    public async ValueTask SetAsync(string keyword, SearchCacheEntry entry, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(entry, PostsStorageJsonContext.Default.SearchCacheEntry);
        try
        {
            await redis.Database.StringSetAsync(ResultKey(keyword), bytes, timeToLive);
        }
        catch (Exception exception) when (RedisFailures.Is(exception))
        {
            LogUnavailable(logger, "write", exception.Message);
        }
    }

    public async ValueTask<LockAttempt> TryAcquireLockAsync(string keyword, string token, TimeSpan lease, CancellationToken cancellationToken)
    {
        try
        {
            return await redis.Database.StringSetAsync(LockKey(keyword), token, lease, When.NotExists)
                ? LockAttempt.Acquired
                : LockAttempt.Busy;
        }
        catch (Exception exception) when (RedisFailures.Is(exception))
        {
            LogUnavailable(logger, "lock", exception.Message);
            return LockAttempt.Unavailable;
        }
    }

    public async ValueTask ReleaseLockAsync(string keyword, string token, CancellationToken cancellationToken)
    {
        try
        {
            await redis.Database.ScriptEvaluateAsync(ReleaseScript, [LockKey(keyword)], [token]);
        }
        catch (Exception exception) when (RedisFailures.Is(exception))
        {
            // The lease expires on its own.
            LogUnavailable(logger, "unlock", exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unavailable for search cache {Operation}; using the database: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string operation, string reason);
}
