namespace Pulse.Core.Tracking;

/// <summary>
/// Answers counts over a window by merging the database (per-minute rows, always counted) with the live buckets
/// of minutes that are not rolled up yet. The database is read first, markers and rows in one snapshot; buckets
/// are kept live until they expire, so a roll-up that commits after that read cannot make a minute vanish or
/// count twice: the reader counts that minute from its live bucket, and its snapshot does not hold the new rows.
/// </summary>
public sealed class StatisticsService(IStatisticsStore store, TimeProvider time, ILiveCounters? live)
{
    public async Task<StatisticsResult> CountAsync(StatisticsQuery query, CancellationToken cancellationToken)
    {
        var liveWindow = LiveWindow(query.Window);
        var stored = await store.CountAsync(query.Type, query.Member, query.Window, liveWindow, cancellationToken);
        var unrolled = Unrolled(liveWindow, stored.RolledUp);
        if (live is null || unrolled.Count == 0)
        {
            return new StatisticsResult(stored.Count, query.Window, Partial: false);
        }

        try
        {
            return new StatisticsResult(stored.Count + await live.SumAsync(query.Type, query.Member, unrolled, cancellationToken), query.Window, Partial: false);
        }
        catch (LiveCountersUnavailableException)
        {
            return new StatisticsResult(stored.Count, query.Window, Partial: true);
        }
    }

    public async Task<TopKeywordsResult> TopKeywordsAsync(TopKeywordsQuery query, CancellationToken cancellationToken)
    {
        var partial = false;
        var top = await store.TopKeywordsAsync(query.Window, query.Limit, LiveWindow(query.Window), ReadLiveAsync, cancellationToken);
        return new TopKeywordsResult(top, partial);

        async Task<IReadOnlyDictionary<string, long>> ReadLiveAsync(IReadOnlyList<DateTimeOffset> minutes, CancellationToken ct)
        {
            if (live is null || minutes.Count == 0)
            {
                return Empty;
            }

            try
            {
                return await live.SumKeywordsAsync(minutes, ct);
            }
            catch (LiveCountersUnavailableException)
            {
                partial = true;
                return Empty;
            }
        }
    }

    /// <summary>
    /// Per-minute counts of <paramref name="set"/>'s members that <paramref name="filter"/> matches, over
    /// <paramref name="window"/>: the database's rows, plus the live buckets of the minutes not rolled up (read whole,
    /// then filtered), merged as <see cref="CountAsync"/> merges a sum.
    /// </summary>
    public async Task<SeriesResult> SeriesAsync(TrackedEventType set, CounterFilter filter, MinuteWindow window, CancellationToken cancellationToken)
    {
        var liveWindow = LiveWindow(window);
        var stored = await store.SeriesAsync(set, filter, window, liveWindow, cancellationToken);
        var counts = new long[window.Minutes];
        foreach (var (minute, count) in stored.Counts)
        {
            counts[Index(window, minute)] += count;
        }

        var unrolled = Unrolled(liveWindow, stored.RolledUp);
        if (live is null || unrolled.Count == 0)
        {
            return new SeriesResult(window, counts, Partial: false);
        }

        try
        {
            var buckets = await live.ReadAsync([.. unrolled.Select(minute => new CounterBucket(set, minute))], cancellationToken);
            foreach (var bucket in buckets)
            {
                foreach (var member in bucket.Counts)
                {
                    if (filter.Matches(member.Member))
                    {
                        counts[Index(window, bucket.Bucket.Minute)] += member.Count;
                    }
                }
            }

            return new SeriesResult(window, counts, Partial: false);
        }
        catch (LiveCountersUnavailableException)
        {
            return new SeriesResult(window, counts, Partial: true);
        }
    }

    private static int Index(MinuteWindow window, DateTimeOffset minute) => (int)((minute - window.From).Ticks / TimeSpan.TicksPerMinute);

    private static readonly IReadOnlyDictionary<string, long> Empty = new Dictionary<string, long>();

    /// <summary>The part of <paramref name="window"/> whose buckets can still be live: up to the current minute, within their retention.</summary>
    private MinuteWindow LiveWindow(MinuteWindow window)
    {
        if (live is null)
        {
            return new MinuteWindow(window.From, window.From);
        }

        var end = CounterMinute.Floor(time.GetUtcNow()) + CounterMinute.Length;
        return window.Intersect(new MinuteWindow(CounterMinute.Floor(end - live.Retention), end));
    }

    private static List<DateTimeOffset> Unrolled(MinuteWindow liveWindow, IReadOnlySet<DateTimeOffset> rolledUp)
    {
        var minutes = new List<DateTimeOffset>(liveWindow.Minutes);
        foreach (var minute in CounterMinute.Range(liveWindow.From, liveWindow.To))
        {
            if (!rolledUp.Contains(minute))
            {
                minutes.Add(minute);
            }
        }

        return minutes;
    }
}

/// <summary>A count over a window; <see cref="Partial"/> when the live counters could not be read (database part only).</summary>
public sealed record StatisticsResult(long Count, MinuteWindow Window, bool Partial);

/// <summary>One count per minute of <see cref="Window"/>, oldest first; <see cref="Partial"/> as for <see cref="StatisticsResult"/>.</summary>
public sealed record SeriesResult(MinuteWindow Window, IReadOnlyList<long> Counts, bool Partial);

public sealed record TopKeywordsResult(IReadOnlyList<KeywordCount> Keywords, bool Partial);
