using System.Globalization;
using Pulse.Core.Validation;

namespace Pulse.Core.Tracking;

/// <summary>Whole UTC minutes from <see cref="From"/> (inclusive) to <see cref="To"/> (exclusive), both minute starts.</summary>
public readonly record struct MinuteWindow(DateTimeOffset From, DateTimeOffset To)
{
    public const int DefaultMinutes = 60;
    public const int MaxMinutes = 7 * 24 * 60;

    private static readonly DateTimeOffset Earliest = DateTimeOffset.UnixEpoch;
    private static readonly DateTimeOffset Latest = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public int Minutes => (int)((To - From).Ticks / TimeSpan.TicksPerMinute);

    public bool Contains(DateTimeOffset minute) => minute >= From && minute < To;

    /// <summary>The last <paramref name="minutes"/> minutes, including the current one.</summary>
    public static MinuteWindow Last(int minutes, DateTimeOffset now)
    {
        var to = CounterMinute.Floor(now) + CounterMinute.Length;
        return new MinuteWindow(to - TimeSpan.FromMinutes(minutes), to);
    }

    /// <summary>The overlap of two windows; empty (From == To) when they do not overlap.</summary>
    public MinuteWindow Intersect(MinuteWindow other)
    {
        var from = From > other.From ? From : other.From;
        var to = To < other.To ? To : other.To;
        return to > from ? new MinuteWindow(from, to) : new MinuteWindow(from, from);
    }

    /// <summary>
    /// Reads the query's window: <c>minutes=N</c> (the last N minutes including the current one), or <c>from</c> and/or
    /// <c>to</c> (ISO-8601; widened to whole minutes), or by default the last 60 minutes. Adds field errors when invalid.
    /// </summary>
    public static bool TryParse(string? minutes, string? from, string? to, DateTimeOffset now, ValidationErrors errors, out MinuteWindow window)
    {
        window = default;
        var hasRange = !string.IsNullOrEmpty(from) || !string.IsNullOrEmpty(to);
        if (!string.IsNullOrEmpty(minutes))
        {
            if (hasRange)
            {
                errors.Add("minutes", "Use either 'minutes' or 'from'/'to', not both.");
                return false;
            }

            if (!int.TryParse(minutes, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > MaxMinutes)
            {
                errors.Add("minutes", $"'minutes' must be a whole number from 1 to {MaxMinutes} (7 days).");
                return false;
            }

            window = Last(count, now);
            return true;
        }

        if (!hasRange)
        {
            window = Last(DefaultMinutes, now);
            return true;
        }

        var fromTime = ParseTime(errors, "from", from);
        var toTime = ParseTime(errors, "to", to);
        if (!errors.IsEmpty)
        {
            return false;
        }

        var end = toTime is { } t ? CounterMinute.Ceiling(t) : CounterMinute.Floor(now) + CounterMinute.Length;
        var start = fromTime is { } f ? CounterMinute.Floor(f) : end - TimeSpan.FromMinutes(DefaultMinutes);
        if (start >= end)
        {
            errors.Add("from", "'from' must be before 'to'.");
            return false;
        }

        if (end - start > TimeSpan.FromMinutes(MaxMinutes))
        {
            errors.Add("to", $"The window from 'from' to 'to' may span at most {MaxMinutes} minutes (7 days).");
            return false;
        }

        window = new MinuteWindow(start, end);
        return true;
    }

    private static DateTimeOffset? ParseTime(ValidationErrors errors, string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            // Bounded so that window arithmetic (a minute or a week either side) can never overflow.
            if (time >= Earliest && time <= Latest)
            {
                return time;
            }

            errors.Add(field, $"'{field}' must be between 1970-01-01 and 9999-01-01.");
            return null;
        }

        errors.Add(field, $"'{field}' must be an ISO-8601 timestamp such as 2026-11-21T05:21:00Z.");
        return null;
    }
}
