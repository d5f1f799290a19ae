using Microsoft.Extensions.Time.Testing;
using Pulse.Core.Posts;

namespace Pulse.Core.Tests.Posts;

public sealed class InMemoryRecentKeywordsTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 21, 5, 21, 0, TimeSpan.Zero));

    [Fact]
    public async Task Keywords_are_newest_first_unique_and_at_most_ten()
    {
        var recent = new InMemoryRecentKeywords(_clock);
        for (var i = 1; i <= 12; i++)
        {
            await recent.PushAsync(1, "k" + i, default);
        }

        await recent.PushAsync(1, "k5", default);

        Assert.Equal(["k5", "k12", "k11", "k10", "k9", "k8", "k7", "k6", "k4", "k3"], await recent.GetAsync(1, default));
        Assert.Empty(await recent.GetAsync(2, default));
    }

    [Fact]
    public async Task The_list_expires_one_hour_after_the_last_push()
    {
        var recent = new InMemoryRecentKeywords(_clock);
        await recent.PushAsync(1, "first", default);
        _clock.Advance(TimeSpan.FromMinutes(59));
        await recent.PushAsync(1, "second", default);

        _clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(["second", "first"], await recent.GetAsync(1, default));

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(await recent.GetAsync(1, default));

        await recent.PushAsync(1, "third", default);
        Assert.Equal(["third"], await recent.GetAsync(1, default));
    }

    [Fact]
    public async Task Memory_stays_bounded_by_the_number_of_users()
    {
        var recent = new InMemoryRecentKeywords(_clock, capacity: 2);
        await recent.PushAsync(1, "a", default);
        await recent.PushAsync(2, "b", default);
        _clock.Advance(TimeSpan.FromHours(2));

        await recent.PushAsync(3, "c", default);

        Assert.Equal(["c"], await recent.GetAsync(3, default));
        Assert.Empty(await recent.GetAsync(1, default));
    }
}
