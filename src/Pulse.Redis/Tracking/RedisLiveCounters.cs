using Microsoft.Extensions.Logging;
using Pulse.Core.Tracking;
using StackExchange.Redis;

namespace Pulse.Redis.Tracking;

/// <summary>
/// Per-minute counter buckets in Redis sorted sets (member <c>component:{id}[:post:{id}|:keyword:{kw}]</c>, score the
/// count). All updates of one bucket family and minute in a request go to Redis as one script call, which applies
/// each as <c>max(old + add, floor)</c> atomically (an UNLIKE's decrement of LIKE never goes below zero) and gives
/// new buckets their expiry. Buckets are never deleted: they expire <see cref="Retention"/> after their first count.
/// </summary>
/// <remarks>
/// <para>
/// After a failed count, counts go straight to the database for <see cref="PauseAfterFailure"/>. Counting runs in commit
/// order (TrackedEventRecorder), so while a dying node makes calls wait for their timeout, every later group would wait
/// behind the one before it; with the pause, a request waits for its predecessor's call and its own, not for a chain.
/// </para>
/// The script is sent as EVALSHA once each node has it (the multiplexer loads it on first use per node, and again
/// with EVAL after a NOSCRIPT, as on a promoted replica or a restarted server), so nothing is pinned to one server
/// the way a <see cref="LoadedLuaScript"/> is: that is what makes it work on every master of a cluster.
/// </remarks>
public sealed partial class RedisLiveCounters(RedisKeyspace redis, TimeSpan retention, ILogger<RedisLiveCounters> logger) : ILiveCounters
{
    private const int ReadConcurrency = 64;

    /// <summary>How long counts skip Redis after a failed count (see the remarks).</summary>
    public static readonly TimeSpan PauseAfterFailure = TimeSpan.FromSeconds(1);

    // KEYS: the family's sets. ARGV[1]: expiry in ms; then per update: key index, member, add, floor.
    private const string CountScript = """
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
        """;

    private readonly RedisKey _stats = redis.Prefix("stats:{"u8);
    private readonly long _retentionMs = (long)Math.Ceiling(retention.TotalMilliseconds);
    private long _skipRedisUntil; // Environment.TickCount64

    public TimeSpan Retention { get; } = retention;

    public async Task<IReadOnlyList<CounterUpdate>> CountAsync(IReadOnlyList<CounterUpdate> updates, CancellationToken cancellationToken)
    {
        // One script call per (minute, family): its keys share a cluster slot. A request has one or two such groups.
        var groups = new List<List<CounterUpdate>>(2);
        for (var i = 0; i < updates.Count; i++)
        {
            var update = updates[i];
            var group = FindGroup(groups, update);
            if (group is null)
            {
                group = new List<CounterUpdate>(updates.Count - i);
                groups.Add(group);
            }

            group.Add(update);
        }

        var calls = new Task<bool>[groups.Count];
        for (var i = 0; i < groups.Count; i++)
        {
            calls[i] = TryCountAsync(groups[i]);
        }

        List<CounterUpdate>? missed = null;
        for (var i = 0; i < calls.Length; i++)
        {
            if (!await calls[i])
            {
                (missed ??= []).AddRange(groups[i]);
            }
        }

        return missed ?? (IReadOnlyList<CounterUpdate>)[];
    }

    public async Task<long> SumAsync(TrackedEventType set, CounterMember member, IReadOnlyList<DateTimeOffset> minutes, CancellationToken cancellationToken)
    {
        RedisValue name = member.ToString();
        var scores = await ReadAllAsync(minutes, minute => redis.Database.SortedSetScoreAsync(CounterKeys.Name(_stats, set, minute), name), cancellationToken);
        var sum = 0L;
        foreach (var score in scores)
        {
            sum += score is { } value ? (long)value : 0;
        }

        return sum;
    }

    public async Task<IReadOnlyDictionary<string, long>> SumKeywordsAsync(IReadOnlyList<DateTimeOffset> minutes, CancellationToken cancellationToken)
    {
        var buckets = new CounterBucket[minutes.Count];
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = new CounterBucket(TrackedEventType.Search, minutes[i]);
        }

        var sums = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var bucket in await ReadAsync(buckets, cancellationToken))
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
        var entries = await ReadAllAsync(
            buckets, bucket => redis.Database.SortedSetRangeByRankWithScoresAsync(CounterKeys.Name(_stats, bucket.Set, bucket.Minute)), cancellationToken);
        var contents = new BucketContents[buckets.Count];
        for (var i = 0; i < contents.Length; i++)
        {
            contents[i] = new BucketContents(buckets[i], Members(entries[i]));
        }

        return contents;
    }

    private static List<CounterUpdate>? FindGroup(List<List<CounterUpdate>> groups, CounterUpdate update)
    {
        var family = CounterKeys.FamilyOf(update.Set);
        foreach (var group in groups)
        {
            if (group[0].Minute == update.Minute && CounterKeys.FamilyOf(group[0].Set) == family)
            {
                return group;
            }
        }

        return null;
    }

    private async Task<bool> TryCountAsync(List<CounterUpdate> group)
    {
        if (Environment.TickCount64 < Volatile.Read(ref _skipRedisUntil))
        {
            return false;
        }

        var keys = new List<RedisKey>(2);
        var args = new RedisValue[1 + (4 * group.Count)];
        args[0] = _retentionMs;
        for (var i = 0; i < group.Count; i++)
        {
            var update = group[i];
            var key = CounterKeys.Name(_stats, update.Set, update.Minute);
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
            await redis.Database.ScriptEvaluateAsync(CountScript, [.. keys], args);
            return true;
        }
        catch (Exception exception) when (RedisFailures.Is(exception))
        {
            // Also after a timeout, when the script may have run: counting twice is preferred to losing counts.
            Volatile.Write(ref _skipRedisUntil, Environment.TickCount64 + (long)PauseAfterFailure.TotalMilliseconds);
            LogCountFallback(logger, group.Count, PauseAfterFailure.TotalMilliseconds, exception.Message);
            return false;
        }
    }

    /// <summary>Runs <paramref name="read"/> for every item, a bounded number at a time (they pipeline on the connection).</summary>
    private static async Task<TResult[]> ReadAllAsync<TItem, TResult>(
        IReadOnlyList<TItem> items, Func<TItem, Task<TResult>> read, CancellationToken cancellationToken)
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
                    chunk[i - start] = read(items[i]);
                }

                var values = await Task.WhenAll(chunk).WaitAsync(cancellationToken);
                values.CopyTo(results, start);
            }
        }
        catch (Exception exception) when (RedisFailures.Is(exception))
        {
            throw new LiveCountersUnavailableException("The live counters (Redis) could not be read.", exception);
        }

        return results;
    }

    private static List<MemberCount> Members(SortedSetEntry[] entries)
    {
        var counts = new List<MemberCount>(entries.Length);
        foreach (var entry in entries)
        {
            var count = (long)entry.Score;
            if (count > 0 && CounterMember.TryParse(entry.Element.ToString(), out var parsed))
            {
                counts.Add(new MemberCount(parsed, count));
            }
        }

        return counts;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unavailable for counting; {Count} counter updates, and all for the next {PauseMs} ms, go to the database instead: {Reason}")]
    private static partial void LogCountFallback(ILogger logger, int count, double pauseMs, string reason);
}
