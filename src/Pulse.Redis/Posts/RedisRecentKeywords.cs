using Microsoft.Extensions.Logging;
using Pulse.Core.Posts;
using Pulse.Redis.Resp;

namespace Pulse.Redis.Posts;

/// <summary>
/// A user's recent keywords as a Redis list (<c>{prefix}search:recent:{userId}</c>), updated by one script so the
/// remove-push-trim-expire sequence is atomic; one key, so it runs on a Redis Cluster as is. While Redis is down
/// pushes are skipped and reads answer an empty list (logged): recent keywords are a convenience, not a record.
/// </summary>
public sealed partial class RedisRecentKeywords(RedisClient redis, ILogger<RedisRecentKeywords> logger) : IRecentKeywords
{
    private static readonly LuaScript PushScript = new("""
        redis.call('LREM', KEYS[1], 0, ARGV[1])
        redis.call('LPUSH', KEYS[1], ARGV[1])
        redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        return 1
        """);

    private static readonly long IdleExpiryMs = (long)RecentKeywordsPolicy.IdleExpiry.TotalMilliseconds;

    public string Key(long userId) => redis.Key("search:recent:" + userId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async ValueTask PushAsync(long userId, string keyword, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await redis.GetAsync(cancellationToken);
            await connection.ScriptEvaluateAsync(PushScript, [Key(userId)], [keyword, RecentKeywordsPolicy.MaxCount, IdleExpiryMs], cancellationToken);
        }
        catch (RedisException exception)
        {
            LogUnavailable(logger, "push", exception.Message);
        }
    }

    public async ValueTask<IReadOnlyList<string>> GetAsync(long userId, CancellationToken cancellationToken)
    {
        RedisResult reply;
        try
        {
            var connection = await redis.GetAsync(cancellationToken);
            var key = Key(userId);
            reply = await connection.ExecuteAsync(key, ["LRANGE", key, 0, RecentKeywordsPolicy.MaxCount - 1], cancellationToken);
        }
        catch (RedisException exception)
        {
            LogUnavailable(logger, "read", exception.Message);
            return [];
        }

        var items = reply.AsArray() ?? [];
        var keywords = new string[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            keywords[i] = items[i].AsString() ?? string.Empty;
        }

        return keywords;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unavailable for recent keywords {Operation}: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string operation, string reason);
}
