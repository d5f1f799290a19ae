using Pulse.Core.Tracking;
using Pulse.Core.Validation;

namespace Pulse.Core.Tests.Tracking;

public sealed class MinuteWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 5, 21, 42, TimeSpan.Zero);
    private static readonly DateTimeOffset CurrentMinute = new(2026, 11, 21, 5, 21, 0, TimeSpan.Zero);

    private static (bool Ok, MinuteWindow Window, ValidationErrors Errors) Parse(string? minutes = null, string? from = null, string? to = null)
    {
        var errors = new ValidationErrors();
        var ok = MinuteWindow.TryParse(minutes, from, to, Now, errors, out var window);
        return (ok, window, errors);
    }

    [Fact]
    public void The_default_window_is_the_last_sixty_minutes_including_the_current_one()
    {
        var (ok, window, _) = Parse();

        Assert.True(ok);
        Assert.Equal(CurrentMinute.AddMinutes(-59), window.From);
        Assert.Equal(CurrentMinute.AddMinutes(1), window.To);
        Assert.Equal(60, window.Minutes);
    }

    [Fact]
    public void Minutes_counts_back_from_the_current_minute()
    {
        var (_, one, _) = Parse("1");
        var (_, week, _) = Parse("10080");

        Assert.Equal(new MinuteWindow(CurrentMinute, CurrentMinute.AddMinutes(1)), one);
        Assert.Equal(10080, week.Minutes);
        Assert.True(one.Contains(CurrentMinute));
        Assert.False(one.Contains(CurrentMinute.AddMinutes(-1)));
    }

    [Fact]
    public void From_and_to_widen_to_whole_minutes()
    {
        var (ok, window, _) = Parse(from: "2026-11-21T05:00:30Z", to: "2026-11-21T05:10:00.001Z");

        Assert.True(ok);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 5, 0, 0, TimeSpan.Zero), window.From);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 5, 11, 0, TimeSpan.Zero), window.To);
    }

    [Fact]
    public void From_alone_runs_to_the_end_of_the_current_minute_and_to_alone_covers_the_hour_before()
    {
        var (_, fromOnly, _) = Parse(from: "2026-11-21T04:00:00Z");
        var (_, toOnly, _) = Parse(to: "2026-11-21T04:00:00Z");

        Assert.Equal(new MinuteWindow(new DateTimeOffset(2026, 11, 21, 4, 0, 0, TimeSpan.Zero), CurrentMinute.AddMinutes(1)), fromOnly);
        Assert.Equal(new MinuteWindow(new DateTimeOffset(2026, 11, 21, 3, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 21, 4, 0, 0, TimeSpan.Zero)), toOnly);
    }

    [Fact]
    public void Offsets_in_from_and_to_are_converted_to_utc()
    {
        var (_, window, _) = Parse(from: "2026-11-21T14:00:00+09:00", to: "2026-11-21T14:05:00+09:00");

        Assert.Equal(new DateTimeOffset(2026, 11, 21, 5, 0, 0, TimeSpan.Zero), window.From);
        Assert.Equal(5, window.Minutes);
    }

    [Theory]
    [InlineData("0", null, null, "minutes")]
    [InlineData("10081", null, null, "minutes")]
    [InlineData("-5", null, null, "minutes")]
    [InlineData("1.5", null, null, "minutes")]
    [InlineData("abc", null, null, "minutes")]
    [InlineData("5", "2026-11-21T05:00:00Z", null, "minutes")]
    [InlineData(null, "yesterday", null, "from")]
    [InlineData(null, null, "soon", "to")]
    [InlineData(null, "2026-11-21T05:10:00Z", "2026-11-21T05:00:00Z", "from")]
    [InlineData(null, "2026-11-21T05:00:00Z", "2026-11-21T05:00:00Z", "from")]
    [InlineData(null, "2026-11-01T00:00:00Z", "2026-11-21T00:00:00Z", "to")]
    [InlineData(null, null, "9999-12-31T23:59:59.9999999Z", "to")]
    [InlineData(null, "0001-01-01T00:00:00Z", null, "from")]
    public void Invalid_windows_name_the_field(string? minutes, string? from, string? to, string field)
    {
        var (ok, _, errors) = Parse(minutes, from, to);

        Assert.False(ok);
        Assert.True(errors.ToDictionary().ContainsKey(field), errors.Summary());
    }

    [Fact]
    public void Intersecting_windows_keeps_the_overlap_or_nothing()
    {
        var a = new MinuteWindow(CurrentMinute, CurrentMinute.AddMinutes(10));
        var b = new MinuteWindow(CurrentMinute.AddMinutes(5), CurrentMinute.AddMinutes(20));
        var c = new MinuteWindow(CurrentMinute.AddMinutes(30), CurrentMinute.AddMinutes(40));

        Assert.Equal(new MinuteWindow(CurrentMinute.AddMinutes(5), CurrentMinute.AddMinutes(10)), a.Intersect(b));
        Assert.Equal(0, a.Intersect(c).Minutes);
    }

    [Fact]
    public void A_rollup_considers_minutes_closed_for_the_grace_period_and_not_yet_expired()
    {
        var window = RollupService.ClosedWindow(Now, TimeSpan.FromMinutes(2), TimeSpan.FromHours(3));

        // 05:21:42 - 2 min = 05:19:42: minute 05:18 ended at 05:19:00 + 2 min grace = 05:21:00 <= now; 05:19 ends 05:22 > now.
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 5, 19, 0, TimeSpan.Zero), window.To);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 2, 22, 0, TimeSpan.Zero), window.From);
        Assert.All(CounterMinute.Range(window.From, window.To), minute => Assert.True(minute + TimeSpan.FromMinutes(3) <= Now));
    }
}
