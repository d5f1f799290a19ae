using Pulse.Core.Tracking;

namespace Pulse.Postgres.Tracking;

/// <summary>
/// Counter rows pivoted into one array per column, for <c>unnest</c>. Rows are sorted by key so that every
/// writer locks <c>stat_minutes</c> and <c>stat_totals</c> rows in the same order and none deadlocks another.
/// </summary>
internal sealed class CounterRows
{
    private CounterRows(int count)
    {
        Types = new string[count];
        Components = new long[count];
        Posts = new long[count];
        Keywords = new string[count];
        Minutes = new DateTimeOffset[count];
        Counts = new long[count];
    }

    public string[] Types { get; }

    public long[] Components { get; }

    public long[] Posts { get; }

    public string[] Keywords { get; }

    public DateTimeOffset[] Minutes { get; }

    public long[] Counts { get; }

    public int Length => Types.Length;

    public static CounterRows From(IEnumerable<(TrackedEventType Set, DateTimeOffset Minute, CounterMember Member, long Count)> source)
    {
        var sorted = source
            .Select(row => (Type: row.Set.ToWire(), row.Member.ComponentId, Post: row.Member.PostId ?? 0, Keyword: row.Member.Keyword ?? string.Empty, row.Minute, row.Count))
            .OrderBy(row => row.Type, StringComparer.Ordinal)
            .ThenBy(row => row.ComponentId)
            .ThenBy(row => row.Post)
            .ThenBy(row => row.Keyword, StringComparer.Ordinal)
            .ThenBy(row => row.Minute)
            .ToList();
        var rows = new CounterRows(sorted.Count);
        for (var i = 0; i < sorted.Count; i++)
        {
            (rows.Types[i], rows.Components[i], rows.Posts[i], rows.Keywords[i], rows.Minutes[i], rows.Counts[i]) = sorted[i];
        }

        return rows;
    }
}
