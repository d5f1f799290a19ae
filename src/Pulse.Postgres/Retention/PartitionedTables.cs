using System.Globalization;

namespace Pulse.Postgres.Retention;

/// <summary>
/// Tables partitioned together on one time column, one partition per UTC week (named <c>{table}_pYYYYMMDD</c> after its
/// Monday) plus <c>{table}_default</c>: a week's partitions of every table are created, filled and dropped together.
/// </summary>
internal sealed record PartitionedTables(string[] Tables, string TimeColumn)
{
    public static PartitionedTables Events { get; } = new(["events", "event_properties", "campaign_events"], "event_time");

    public static PartitionedTables TrackedEvents { get; } = new(["tracked_events"], "occurred_at");

    public static readonly TimeSpan Week = TimeSpan.FromDays(7);

    /// <summary>The table whose rows are counted (the others hold its rows' details).</summary>
    public string Main => Tables[0];

    /// <summary>Monday 00:00 UTC of the week holding <paramref name="time"/>.</summary>
    public static DateTimeOffset WeekOf(DateTimeOffset time)
    {
        var date = time.UtcDateTime.Date;
        var sinceMonday = ((int)date.DayOfWeek + 6) % 7;
        return new DateTimeOffset(date.AddDays(-sinceMonday), TimeSpan.Zero);
    }

    public static string PartitionName(string table, DateTimeOffset week) =>
        table + "_p" + week.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>The week a partition of <paramref name="table"/> holds, from its name; <c>null</c> for the default partition or a foreign name.</summary>
    public static DateTimeOffset? WeekOfPartition(string table, string partition) =>
        partition.StartsWith(table + "_p", StringComparison.Ordinal)
        && DateTime.TryParseExact(partition.AsSpan(table.Length + 2), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var day)
            ? new DateTimeOffset(day, TimeSpan.Zero)
            : null;
}
