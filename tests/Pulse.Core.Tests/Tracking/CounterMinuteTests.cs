using Pulse.Core.Tracking;

namespace Pulse.Core.Tests.Tracking;

public sealed class CounterMinuteTests
{
    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2026-11-21T05:21:00.000Z", "202611210521")]
    [InlineData("2026-11-21T05:21:59.999Z", "202611210521")]
    [InlineData("2026-12-31T23:59:30Z", "202612312359")]
    [InlineData("2027-01-01T00:00:00Z", "202701010000")]
    [InlineData("2026-11-21T14:21:10+09:00", "202611210521")]
    public void A_bucket_is_named_by_its_utc_minute(string time, string expected) =>
        Assert.Equal(expected, CounterMinute.Name(At(time)));

    [Fact]
    public void Floor_and_ceiling_snap_to_minute_starts()
    {
        Assert.Equal(At("2026-11-21T05:21:00Z"), CounterMinute.Floor(At("2026-11-21T05:21:42.5Z")));
        Assert.Equal(At("2026-11-21T05:22:00Z"), CounterMinute.Ceiling(At("2026-11-21T05:21:00.001Z")));
        Assert.Equal(At("2026-11-21T05:21:00Z"), CounterMinute.Ceiling(At("2026-11-21T05:21:00Z")));
        Assert.Equal(TimeSpan.Zero, CounterMinute.Floor(At("2026-11-21T14:21:10+09:00")).Offset);
    }

    [Fact]
    public void A_bucket_name_parses_back_to_its_minute()
    {
        Assert.True(CounterMinute.TryParse("202611210521", out var minute));
        Assert.Equal(At("2026-11-21T05:21:00Z"), minute);
        Assert.Equal(TimeSpan.Zero, minute.Offset);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("20261121052")]
    [InlineData("202611210561")]
    [InlineData("2026112105211")]
    [InlineData("20261121x521")]
    public void Malformed_bucket_names_do_not_parse(string? name) => Assert.False(CounterMinute.TryParse(name, out _));

    [Fact]
    public void A_range_lists_every_minute_start_from_inclusive_to_exclusive()
    {
        var minutes = CounterMinute.Range(At("2026-11-21T05:21:00Z"), At("2026-11-21T05:24:00Z")).ToList();

        Assert.Equal([At("2026-11-21T05:21:00Z"), At("2026-11-21T05:22:00Z"), At("2026-11-21T05:23:00Z")], minutes);
        Assert.Empty(CounterMinute.Range(At("2026-11-21T05:21:00Z"), At("2026-11-21T05:21:00Z")));
    }
}
