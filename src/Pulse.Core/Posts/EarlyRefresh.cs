namespace Pulse.Core.Posts;

/// <summary>
/// Probabilistic early expiration ("XFetch", Vattani et al., VLDB 2015): a reader refreshes an entry before it
/// expires when <c>now - delta * beta * ln(rand) >= expiry</c>, where delta is how long the recomputation took.
/// The chance grows as expiry nears — <c>exp(-remaining / (delta * beta))</c> — so one reader, usually, refreshes
/// a hot key just before it would expire and the others never see a miss.
/// </summary>
public static class EarlyRefresh
{
    public const double DefaultBeta = 1.0;

    /// <param name="uniform">A random number in (0, 1]; 1 never refreshes early.</param>
    public static bool ShouldRefresh(DateTimeOffset now, DateTimeOffset expiresAt, TimeSpan recomputeTime, double beta, double uniform)
    {
        if (now >= expiresAt)
        {
            return true;
        }

        // Compared as remaining time, not as absolute ticks: a double cannot hold today's tick count to the tick.
        // -ln(uniform) >= 0, so the head start is never negative.
        var headStartTicks = -recomputeTime.Ticks * beta * Math.Log(uniform);
        return headStartTicks >= (expiresAt - now).Ticks;
    }

    /// <summary>The probability that <see cref="ShouldRefresh"/> answers true with <paramref name="remaining"/> time left.</summary>
    public static double Probability(TimeSpan remaining, TimeSpan recomputeTime, double beta)
    {
        if (remaining <= TimeSpan.Zero)
        {
            return 1;
        }

        var scale = recomputeTime.Ticks * beta;
        return scale <= 0 ? 0 : Math.Exp(-remaining.Ticks / scale);
    }
}
