namespace Pulse.Api.Tests.Tracking.Infrastructure;

/// <summary>
/// A clock that stands still until a test moves it forward, so a test decides which minute bucket each event lands in
/// and when a bucket closes. It only ever moves forward, because closed buckets must stay closed for the roll-up.
/// Timers still run on real time, so the roll-up job keeps its real interval.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private long _ticks;

    public TestClock()
    {
        // Mid-minute, so a test's events never straddle a minute boundary by accident.
        var now = DateTimeOffset.UtcNow;
        _ticks = now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute) + TimeSpan.FromSeconds(20).Ticks;
    }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    /// <summary>The start of the current minute.</summary>
    public DateTimeOffset Minute => new(GetUtcNow().UtcTicks - (GetUtcNow().UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _ticks, by.Ticks);
    }

    /// <summary>Moves past the grace period (2 minutes) so that every bucket up to now is closed.</summary>
    public void CloseBuckets() => Advance(TimeSpan.FromMinutes(3));
}
