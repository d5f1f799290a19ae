namespace Pulse.Postgres.Retention;

/// <summary>
/// Tables partitioned together by id range (docs/lifecycle.md, "Retention"): range k of every table of the set is named
/// <c>{table}_r{k}</c> and holds the ids (event ids for properties and links) from k * 2^40 up to (k + 1) * 2^40, range 0
/// from the lowest id. A range's partitions are made, filled and dropped together; <see cref="TimeColumn"/> of the
/// first table is what expires.
/// </summary>
internal sealed record PartitionedTables(string Set, string[] Tables, string TimeColumn)
{
    public static PartitionedTables Events { get; } = new("events", ["events", "event_properties", "campaign_events"], "event_time");

    public static PartitionedTables TrackedEvents { get; } = new("tracked_events", ["tracked_events"], "occurred_at");

    /// <summary>The ids one range holds: 2^40, so ids stay below 2^53 (exact in JavaScript) for 8,192 ranges.</summary>
    public const long RangeSize = 1L << 40;

    /// <summary>The table whose rows expire (the others hold its rows' details).</summary>
    public string Main => Tables[0];

    public static string PartitionName(string table, int range) => table + "_r" + range.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
