using Pulse.Core.Tracking;

namespace Pulse.Core.Tests.Tracking;

public sealed class CounterPlanTests
{
    private static readonly DateTimeOffset Minute = new(2026, 11, 21, 5, 21, 0, TimeSpan.Zero);

    private static TrackedEvent Event(TrackedEventType type, long component = 1, long? post = null, string? keyword = null, int second = 0) =>
        new(type, 1, "s", component, null, keyword, post, Minute.AddSeconds(second));

    [Fact]
    public void Three_clicks_on_one_component_fold_into_one_increment_by_three()
    {
        var updates = CounterPlan.For([Event(TrackedEventType.Click), Event(TrackedEventType.Click, second: 30), Event(TrackedEventType.Click, second: 59)]);

        var update = Assert.Single(updates);
        Assert.Equal(new CounterUpdate(TrackedEventType.Click, Minute, new CounterMember(1), 3, 0), update);
    }

    [Fact]
    public void Events_in_different_minutes_components_or_members_count_separately()
    {
        var updates = CounterPlan.For(
        [
            Event(TrackedEventType.Search, keyword: "cat"),
            Event(TrackedEventType.Search, keyword: "dog"),
            Event(TrackedEventType.Search, component: 2, keyword: "cat"),
            Event(TrackedEventType.Search, keyword: "cat", second: 60),
        ]);

        Assert.Equal(4, updates.Count);
        Assert.All(updates, u => Assert.Equal(1, u.Add));
        Assert.Equal(Minute.AddMinutes(1), updates[3].Minute);
    }

    [Fact]
    public void An_unlike_counts_itself_and_takes_one_from_the_like_counter_never_below_zero()
    {
        var updates = CounterPlan.For([Event(TrackedEventType.Unlike, post: 7)]);

        Assert.Equal(2, updates.Count);
        Assert.Equal(new CounterUpdate(TrackedEventType.Unlike, Minute, new CounterMember(1, 7), 1, 0), updates[0]);
        Assert.Equal(new CounterUpdate(TrackedEventType.Like, Minute, new CounterMember(1, 7), -1, 0), updates[1]);
        Assert.Equal(0, updates[1].Apply(0));
        Assert.Equal(4, updates[1].Apply(5));
    }

    [Theory]
    [InlineData("L L U", 0, 1)]
    [InlineData("U L", 0, 1)]
    [InlineData("L U", 0, 0)]
    [InlineData("U U U L L", 1, 2)]
    [InlineData("U U U L L", 5, 4)]
    public void Likes_and_unlikes_fold_to_the_same_net_count_as_applying_them_in_order(string sequence, long start, long expected)
    {
        var events = sequence.Split(' ').Select(s => Event(s == "L" ? TrackedEventType.Like : TrackedEventType.Unlike, post: 7)).ToList();

        var like = CounterPlan.For(events).Single(u => u.Set == TrackedEventType.Like);

        Assert.Equal(expected, like.Apply(start));
    }

    [Fact]
    public void Folding_matches_one_by_one_application_for_random_sequences()
    {
        var random = new Random(20261121);
        for (var round = 0; round < 2000; round++)
        {
            var steps = Enumerable.Range(0, random.Next(1, 12)).Select(_ => random.Next(2) == 0 ? 1L : -1L).ToList();
            var start = random.Next(0, 6);

            var expected = steps.Aggregate((long)start, (value, step) => Math.Max(value + step, 0));
            var folded = steps.Skip(1).Aggregate(
                new CounterUpdate(TrackedEventType.Like, Minute, new CounterMember(1, 1), steps[0], 0),
                (update, step) => update.Then(step, 0));

            Assert.Equal(expected, folded.Apply(start));
        }
    }
}
