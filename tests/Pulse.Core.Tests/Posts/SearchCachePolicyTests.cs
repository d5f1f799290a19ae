using Pulse.Core.Posts;

namespace Pulse.Core.Tests.Posts;

public sealed class SearchCachePolicyTests
{
    [Theory]
    [InlineData(3, 0.0, 60_000)]
    [InlineData(3, 0.5, 65_000)]
    [InlineData(10, 0.99995, 69_999)]
    [InlineData(0, 0.0, 30_000)]
    [InlineData(0, 0.25, 32_500)]
    [InlineData(0, 0.99995, 39_999)]
    public void Results_live_sixty_seconds_and_empty_results_thirty_plus_up_to_ten_seconds_of_jitter(int count, double uniform, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), SearchCachePolicy.LifetimeFor(count, uniform));

    [Fact]
    public void No_draw_reaches_seventy_seconds()
    {
        Assert.True(SearchCachePolicy.LifetimeFor(1, 1.0) < SearchCachePolicy.MaxStaleness);
        Assert.Equal(TimeSpan.FromSeconds(70), SearchCachePolicy.MaxStaleness);
    }
}
