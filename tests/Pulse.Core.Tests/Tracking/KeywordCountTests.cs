using Pulse.Core.Tracking;

namespace Pulse.Core.Tests.Tracking;

public sealed class KeywordCountTests
{
    [Fact]
    public void Keywords_rank_by_count_then_by_code_point()
    {
        var ranked = new List<KeywordCount> { new("b", 2), new("a", 2), new("c", 5), new("\uFFFD", 1), new("😀", 1) };

        ranked.Sort(KeywordCount.Rank);

        Assert.Equal(["c", "a", "b", "\uFFFD", "😀"], ranked.Select(k => k.Keyword));
    }

    [Fact]
    public void Merging_adds_live_counts_to_stored_ones_and_keeps_the_top()
    {
        var merged = KeywordCount.Merge(
            [new("cat", 10), new("dog", 8), new("owl", 1)],
            new Dictionary<string, long> { ["owl"] = 20, ["fox"] = 3 },
            limit: 3);

        Assert.Equal([new("owl", 21), new("cat", 10), new("dog", 8)], merged);
    }

    [Fact]
    public void Merging_the_stored_top_and_the_live_keywords_matches_ranking_everything()
    {
        var random = new Random(42);
        for (var round = 0; round < 500; round++)
        {
            var keywords = Enumerable.Range(0, random.Next(1, 30)).Select(i => "k" + (char)('a' + i)).ToList();
            var stored = keywords.ToDictionary(k => k, _ => (long)random.Next(0, 6));
            var live = keywords.Where(_ => random.Next(3) == 0).ToDictionary(k => k, _ => (long)random.Next(1, 6));
            var limit = random.Next(1, 8);

            var expected = keywords
                .Select(k => new KeywordCount(k, stored[k] + live.GetValueOrDefault(k)))
                .Where(k => k.Count > 0)
                .ToList();
            expected.Sort(KeywordCount.Rank);

            // What a store reads: its own top `limit` (as a database ranks), plus its counts of the live keywords.
            var storedRanked = stored.Where(p => p.Value > 0).Select(p => new KeywordCount(p.Key, p.Value)).ToList();
            storedRanked.Sort(KeywordCount.Rank);
            var read = storedRanked.Take(limit).Concat(live.Keys.Select(k => new KeywordCount(k, stored[k]))).ToList();

            Assert.Equal(expected.Take(limit), KeywordCount.Merge(read, live, limit));
        }
    }
}
