using Microsoft.Extensions.Time.Testing;

namespace Pulse.Api.Tests.Tracking.Infrastructure;

/// <summary>
/// The tracking tests' clock: a <see cref="FakeTimeProvider"/> that stands still until a test moves it, so a test
/// decides which minute bucket each event lands in and when a bucket closes. It only moves forward (Advance refuses
/// a negative step), because closed buckets must stay closed for the roll-up. Pulse's roll-up job runs on a
/// PeriodicTimer of real time, not on this clock, so it keeps its real interval.
/// </summary>
public static class TrackingClock
{
    /// <summary>A clock 20 s into the current minute, so a test's events never straddle a minute boundary by accident.</summary>
    public static FakeTimeProvider MidMinute()
    {
        var now = DateTimeOffset.UtcNow;
        return new FakeTimeProvider(StartOfMinute(now).AddSeconds(20));
    }

    extension(TimeProvider clock)
    {
        /// <summary>The start of the current minute.</summary>
        public DateTimeOffset Minute => StartOfMinute(clock.GetUtcNow());
    }

    extension(FakeTimeProvider clock)
    {
        /// <summary>Moves past the grace period (2 minutes) so that every bucket up to now is closed.</summary>
        public void CloseBuckets() => clock.Advance(TimeSpan.FromMinutes(3));
    }

    private static DateTimeOffset StartOfMinute(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
}
