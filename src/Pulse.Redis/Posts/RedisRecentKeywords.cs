using Microsoft.Extensions.Logging;
using Pulse.Core.Posts;
using StackExchange.Redis;

namespace Pulse.Redis.Posts;

/// <summary>
/// A user's recent keywords as a Redis list (<c>{prefix}search:recent:{userId}</c>), updated by one script so the
/// remove-push-trim-expire sequence is atomic; one key, so it runs on a Redis Cluster as is. While Redis is down
/// pushes are skipped and reads answer an empty list (logged): recent keywords are a convenience, not a record.
/// </summary>
public sealed partial class RedisRecentKeywords(RedisKeyspace redis, ILogger<RedisRecentKeywords> logger) : IRecentKeywords
{
    // KEYS[1]: the list. ARGV: keyword, how many to keep, idle expiry in ms.
    private const string PushScript = """
        redis.call('LREM', KEYS[1], 0, ARGV[1])
        redis.call('LPUSH', KEYS[1], ARGV[1])
        redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        return 1
        """;

    // KEYS[1]: the list. How many keywords it held, and gone.
    private const string RemoveScript = """
        local n = redis.call('LLEN', KEYS[1])
        redis.call('DEL', KEYS[1])
        return n
        """;

    private static readonly long IdleExpiryMs = (long)RecentKeywordsPolicy.IdleExpiry.TotalMilliseconds;

    private readonly RedisKey _prefix = redis.Prefix("search:recent:"u8);

    public RedisKey Key(long userId) => _prefix.Append(userId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async ValueTask PushAsync(long userId, string keyword, CancellationToken cancellationToken)
    {
        try
        {
            await redis.Database.ScriptEvaluateAsync(PushScript, [Key(userId)], [keyword, RecentKeywordsPolicy.MaxCount, IdleExpiryMs]);
        }
        catch (Exception exception) when (RedisFailures.Is(exception))
        {
            LogUnavailable(logger, "push", exception.Message);
        }
    }

    public async ValueTask<IReadOnlyList<string>> GetAsync(long userId, CancellationToken cancellationToken)
    {
        RedisValue[] items;
        try
        {
            items = await redis.Database.ListRangeAsync(Key(userId), 0, RecentKeywordsPolicy.MaxCount - 1);
        }
        catch (Exception exception) when (RedisFailures.Is(exception))
        {
            LogUnavailable(logger, "read", exception.Message);
            return [];
        }

        var keywords = new string[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            keywords[i] = items[i].ToString();
        }

        return keywords;
    }

    /// <summary>Erasure: Redis must answer, or the erasure fails and is resumed later (it may not leave the list behind).</summary>
    public async ValueTask<long> RemoveAsync(long userId, CancellationToken cancellationToken) =>
        (long)await redis.Database.ScriptEvaluateAsync(RemoveScript, [Key(userId)]);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unavailable for recent keywords {Operation}: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string operation, string reason);
}
