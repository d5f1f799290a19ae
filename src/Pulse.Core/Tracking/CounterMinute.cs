using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Pulse.Core.Tracking;

/// <summary>
/// Counter buckets are UTC minutes, named <c>yyyyMMddHHmm</c> (SPEC §4). A minute is represented by its start,
/// a <see cref="DateTimeOffset"/> with zero seconds in UTC.
/// </summary>
public static class CounterMinute
{
    public const string Format = "yyyyMMddHHmm";
    public static readonly TimeSpan Length = TimeSpan.FromMinutes(1);

    /// <summary>The start of the UTC minute that contains <paramref name="time"/>.</summary>
    public static DateTimeOffset Floor(DateTimeOffset time)
    {
        var ticks = time.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
    }

    /// <summary>The start of the first minute that begins at or after <paramref name="time"/>.</summary>
    public static DateTimeOffset Ceiling(DateTimeOffset time)
    {
        var floor = Floor(time);
        return floor.UtcTicks == time.UtcTicks ? floor : floor + Length;
    }

    public static string Name(DateTimeOffset time) => Floor(time).UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static bool TryParse([NotNullWhen(true)] string? name, out DateTimeOffset minute)
    {
        if (name is { Length: 12 }
            && DateTime.TryParseExact(name, Format, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            minute = new DateTimeOffset(DateTime.SpecifyKind(parsed, DateTimeKind.Utc));
            return true;
        }

        minute = default;
        return false;
    }

    /// <summary>The minutes from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive), both minute starts.</summary>
    public static IEnumerable<DateTimeOffset> Range(DateTimeOffset from, DateTimeOffset to)
    {
        for (var minute = Floor(from); minute < to; minute += Length)
        {
            yield return minute;
        }
    }
}
