using Pulse.Core.Posts;

namespace Pulse.Core.Tests.Posts;

public sealed class EarlyRefreshTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 5, 21, 0, TimeSpan.Zero);

    [Fact]
    public void A_draw_of_one_never_refreshes_before_expiry()
    {
        Assert.False(EarlyRefresh.ShouldRefresh(Now, Now.AddTicks(1), TimeSpan.FromSeconds(10), 1, uniform: 1));
    }

    [Fact]
    public void An_expired_entry_is_always_refreshed()
    {
        Assert.True(EarlyRefresh.ShouldRefresh(Now, Now, TimeSpan.Zero, 1, uniform: 1));
        Assert.True(EarlyRefresh.ShouldRefresh(Now, Now.AddSeconds(-1), TimeSpan.FromMilliseconds(5), 1, uniform: 0.5));
    }

    [Fact]
    public void The_head_start_is_minus_delta_times_beta_times_ln_of_the_draw()
    {
        // One second left and one second of recompute time: refresh exactly when -ln(u) >= 1, i.e. u <= 1/e.
        var expiresAt = Now.AddSeconds(1);
        var delta = TimeSpan.FromSeconds(1);

        Assert.True(EarlyRefresh.ShouldRefresh(Now, expiresAt, delta, 1, uniform: 0.367));
        Assert.False(EarlyRefresh.ShouldRefresh(Now, expiresAt, delta, 1, uniform: 0.369));
        // beta = 2 doubles the head start: now -ln(u) >= 0.5, i.e. u <= e^-0.5 = 0.6065.
        Assert.True(EarlyRefresh.ShouldRefresh(Now, expiresAt, delta, 2, uniform: 0.606));
        Assert.False(EarlyRefresh.ShouldRefresh(Now, expiresAt, delta, 2, uniform: 0.607));
    }

    [Theory]
    [InlineData(100, 100, 1.0)]
    [InlineData(50, 100, 1.0)]
    [InlineData(300, 100, 1.0)]
    [InlineData(100, 100, 2.0)]
    [InlineData(20, 5, 1.0)]
    public void The_refresh_rate_is_exp_of_minus_remaining_over_delta_beta(int remainingMs, int deltaMs, double beta)
    {
        const int Draws = 200_000;
        var random = new Random(20261121);
        var expiresAt = Now.AddMilliseconds(remainingMs);
        var delta = TimeSpan.FromMilliseconds(deltaMs);

        var refreshed = 0;
        for (var i = 0; i < Draws; i++)
        {
            if (EarlyRefresh.ShouldRefresh(Now, expiresAt, delta, beta, 1 - random.NextDouble()))
            {
                refreshed++;
            }
        }

        var expected = Math.Exp(-remainingMs / (deltaMs * beta));
        Assert.Equal(expected, EarlyRefresh.Probability(TimeSpan.FromMilliseconds(remainingMs), delta, beta), 12);
        // Binomial standard deviation is at most 0.0012 for 200,000 draws; 0.005 is more than four of them.
        Assert.InRange((double)refreshed / Draws, expected - 0.005, expected + 0.005);
    }

    [Fact]
    public void The_probability_rises_as_expiry_nears()
    {
        var delta = TimeSpan.FromMilliseconds(50);
        double[] probabilities = [.. new[] { 1000, 200, 100, 50, 10, 0 }.Select(ms => EarlyRefresh.Probability(TimeSpan.FromMilliseconds(ms), delta, 1))];

        Assert.Equal(probabilities.Order(), probabilities);
        Assert.True(probabilities[0] < 1e-8, "with 20 recompute times left, a refresh is practically never chosen");
        Assert.Equal(1, probabilities[^1]);
    }

    [Fact]
    public void Without_a_recompute_time_nothing_refreshes_before_expiry()
    {
        Assert.Equal(0, EarlyRefresh.Probability(TimeSpan.FromMilliseconds(1), TimeSpan.Zero, 1));
        Assert.False(EarlyRefresh.ShouldRefresh(Now, Now.AddMilliseconds(1), TimeSpan.Zero, 1, uniform: double.Epsilon));
    }
}
