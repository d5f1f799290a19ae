using Microsoft.Extensions.Logging;
using Pulse.Core.Tracking;
using Pulse.Redis.Resp;

namespace Pulse.Redis.Tracking;

/// <summary>
/// Per-minute counter buckets in Redis sorted sets (member <c>component:{id}[:post:{id}|:keyword:{kw}]</c>, score the
/// count). All updates of one bucket family and minute in a request go to Redis as one script call, which applies
/// each as <c>max(old + add, floor)</c> atomically (an UNLIKE's decrement of LIKE never goes below zero) and gives
/// new buckets their expiry. Buckets are never deleted: they expire <see cref="Retention"/> after their first count.
/// </summary>
public sealed partial class RedisLiveCounters(RedisClient redis, TimeSpan retention, ILogger<RedisLiveCounters> logger) : ILiveCounters
{
    private const int ReadConcurrency = 64;

    // KEYS: the family's sets. ARGV[1]: expiry in ms; then per update: key index, member, add, floor.
    private static readonly LuaScript CountScript = new("""
        local ttl = ARGV[1]
        for i = 2, #ARGV, 4 do
            local key = KEYS[tonumber(ARGV[i])]
            local member = ARGV[i + 1]
            local old = tonumber(redis.call('ZSCORE', key, member) or 0)
            local new = math.max(old + tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3]))
            if new ~= old then
                redis.call('ZADD', key, new, member)
            end
        end
        for i = 1, #KEYS do
            redis.call('PEXPIRE', KEYS[i], ttl, 'NX')
        end
        return 1
        """);

    public TimeSpan Retention { get; } = retention;

    public async Task<IReadOnlyList<CounterUpdate>> CountAsync(IReadOnlyList<CounterUpdate> updates, CancellationToken cancellationToken)
    {
        var groups = updates.GroupBy(u => (u.Minute, Family: CounterKeys.Family(u.Set))).ToList();
        var results = await Task.WhenAll(groups.Select(group => TryCountAsync([.. group], cancellationToken)));
        List<CounterUpdate>? missed = null;
        for (var i = 0; i < groups.Count; i++)
        {
            if (!results[i])
            {
                (missed ??= []).AddRange(groups[i]);
            }
        }

        return missed ?? (IReadOnlyList<CounterUpdate>)[];
    }

    public async Task<long> SumAsync(TrackedEventType set, CounterMember member, IReadOnlyList<DateTimeOffset> minutes, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(cancellationToken);
        var name = member.ToString();
        var scores = await ReadAllAsync(minutes, async (minute, ct) =>
        {
            var key = CounterKeys.Name(redis, set, minute);
            var score = await connection.ExecuteAsync(key, ["ZSCORE", key, name], ct);
            return score.IsNull ? 0L : (long)score.AsDouble();
        }, cancellationToken);
        return scores.Sum();
    }

    public async Task<IReadOnlyDictionary<string, long>> SumKeywordsAsync(IReadOnlyList<DateTimeOffset> minutes, CancellationToken cancellationToken)
    {
        var buckets = await ReadAsync([.. minutes.Select(minute => new CounterBucket(TrackedEventType.Search, minute))], cancellationToken);
        var sums = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var bucket in buckets)
        {
            foreach (var (member, count) in bucket.Counts)
            {
                if (member.Keyword is { } keyword)
                {
                    sums[keyword] = sums.GetValueOrDefault(keyword) + count;
                }
            }
        }

        return sums;
    }

    public async Task<IReadOnlyList<BucketContents>> ReadAsync(IReadOnlyList<CounterBucket> buckets, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(cancellationToken);
        return await ReadAllAsync(buckets, async (bucket, ct) =>
        {
            var key = CounterKeys.Name(redis, bucket.Set, bucket.Minute);
            var reply = await connection.ExecuteAsync(key, ["ZRANGE", key, 0, -1, "WITHSCORES"], ct);
            return new BucketContents(bucket, ParseMembers(reply));
        }, cancellationToken);
    }

    private async Task<bool> TryCountAsync(CounterUpdate[] group, CancellationToken cancellationToken)
    {
        var keys = new List<string>(2);
        var args = new RedisArg[1 + (4 * group.Length)];
        args[0] = (long)Math.Ceiling(Retention.TotalMilliseconds);
        for (var i = 0; i < group.Length; i++)
        {
            var update = group[i];
            var key = CounterKeys.Name(redis, update.Set, update.Minute);
            var index = keys.IndexOf(key);
            if (index < 0)
            {
                keys.Add(key);
                index = keys.Count - 1;
            }

            args[1 + (4 * i)] = index + 1;
            args[2 + (4 * i)] = update.Member.ToString();
            args[3 + (4 * i)] = update.Add;
            args[4 + (4 * i)] = update.Floor;
        }

        try
        {
            var connection = await redis.GetAsync(cancellationToken);
            await connection.ScriptEvaluateAsync(CountScript, keys, args, cancellationToken);
            return true;
        }
        catch (RedisException exception)
        {
            // Also after a timeout, when the script may have run: counting twice is preferred to losing counts.
            LogCountFallback(logger, group.Length, exception.Message);
            return false;
        }
    }

    private async ValueTask<RedisConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await redis.GetAsync(cancellationToken);
        }
        catch (RedisException exception)
        {
            throw new LiveCountersUnavailableException("The live counters (Redis) are unreachable.", exception);
        }
    }

    /// <summary>Runs <paramref name="read"/> for every item, a bounded number at a time (they pipeline on the connection).</summary>
    private static async Task<TResult[]> ReadAllAsync<TItem, TResult>(
        IReadOnlyList<TItem> items, Func<TItem, CancellationToken, Task<TResult>> read, CancellationToken cancellationToken)
    {
        var results = new TResult[items.Count];
        try
        {
            for (var start = 0; start < items.Count; start += ReadConcurrency)
            {
                var end = Math.Min(start + ReadConcurrency, items.Count);
                var chunk = new Task<TResult>[end - start];
                for (var i = start; i < end; i++)
                {
                    chunk[i - start] = read(items[i], cancellationToken);
                }

                var values = await Task.WhenAll(chunk);
                values.CopyTo(results, start);
            }
        }
        catch (RedisException exception)
        {
            throw new LiveCountersUnavailableException("The live counters (Redis) could not be read.", exception);
        }

        return results;
    }

    /// <summary>ZRANGE ... WITHSCORES: a flat member/score array (RESP2) or member/score pairs (RESP3).</summary>
    private static List<MemberCount> ParseMembers(RedisResult reply)
    {
        var items = reply.AsArray() ?? [];
        var counts = new List<MemberCount>(items.Count / 2);
        var pairs = items.Count > 0 && items[0].Type == RedisResultType.Array;
        for (var i = 0; i < items.Count; i += pairs ? 1 : 2)
        {
            var (member, score) = pairs ? (items[i].AsArray()![0], items[i].AsArray()![1]) : (items[i], items[i + 1]);
            var count = (long)score.AsDouble();
            if (count > 0 && CounterMember.TryParse(member.AsString(), out var parsed))
            {
                counts.Add(new MemberCount(parsed, count));
            }
        }

        return counts;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unavailable for counting; {Count} counter updates go to the database instead: {Reason}")]
    private static partial void LogCountFallback(ILogger logger, int count, string reason);
}
