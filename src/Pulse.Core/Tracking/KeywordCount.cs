using Pulse.Core.Query;

namespace Pulse.Core.Tracking;

public sealed record KeywordCount(string Keyword, long Count)
{
    /// <summary>The API's order: most searched first, then by keyword in code point order (as the databases sort).</summary>
    public static int Rank(KeywordCount left, KeywordCount right)
    {
        var byCount = right.Count.CompareTo(left.Count);
        return byCount != 0 ? byCount : CodePointOrder.Compare(left.Keyword, right.Keyword);
    }

    /// <summary>
    /// The top <paramref name="limit"/> of stored plus live counts. Exact when <paramref name="stored"/> holds the
    /// database's top <paramref name="limit"/> (in <see cref="Rank"/> order) and the database counts of every live
    /// keyword: any other keyword has a total no higher than, and ranks after, each of those top ones.
    /// </summary>
    public static IReadOnlyList<KeywordCount> Merge(IEnumerable<KeywordCount> stored, IReadOnlyDictionary<string, long> live, int limit)
    {
        // Assigned, not added: a keyword both in the top and among the live ones has one database count.
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (keyword, count) in stored)
        {
            totals[keyword] = count;
        }

        foreach (var (keyword, count) in live)
        {
            totals[keyword] = totals.GetValueOrDefault(keyword) + count;
        }

        var ranked = new List<KeywordCount>(totals.Count);
        foreach (var (keyword, count) in totals)
        {
            if (count > 0)
            {
                ranked.Add(new KeywordCount(keyword, count));
            }
        }

        ranked.Sort(Rank);
        return ranked.Count > limit ? ranked[..limit] : ranked;
    }
}
