using Pulse.Core;

namespace Pulse.Sqlite.Tracking;

/// <summary>
/// Tracked events and their counts (versions 100–199). Embedded mode counts in the same transaction as the event,
/// straight into <c>stat_minutes</c> and <c>stat_totals</c>, so it needs no roll-up markers. Absent post ids and
/// keywords are stored as 0 and '' so they can be part of the primary keys. Never edit a released version.
/// </summary>
public static class SqliteTrackingSchema
{
    public static readonly SchemaScript[] Scripts =
    [
        new(100, """
            CREATE TABLE tracked_events (
                id INTEGER PRIMARY KEY,
                type TEXT NOT NULL,
                user_id INTEGER,
                session_id TEXT NOT NULL,
                component_id INTEGER NOT NULL,
                element_id TEXT,
                keyword TEXT,
                post_id INTEGER,
                occurred_at INTEGER NOT NULL);
            -- Key order serves /api/statistics: one counter's minutes are one range of the primary key.
            CREATE TABLE stat_minutes (
                type TEXT NOT NULL,
                component_id INTEGER NOT NULL,
                post_id INTEGER NOT NULL,
                keyword TEXT NOT NULL,
                minute INTEGER NOT NULL,
                count INTEGER NOT NULL,
                PRIMARY KEY (type, component_id, post_id, keyword, minute)) WITHOUT ROWID;
            -- Serves top keywords (one type over a range of minutes); it carries the key columns, so the keyword too.
            CREATE INDEX ix_stat_minutes_type_minute ON stat_minutes (type, minute);
            CREATE TABLE stat_totals (
                type TEXT NOT NULL,
                component_id INTEGER NOT NULL,
                post_id INTEGER NOT NULL,
                keyword TEXT NOT NULL,
                count INTEGER NOT NULL,
                PRIMARY KEY (type, component_id, post_id, keyword)) WITHOUT ROWID;
            """),
        // A component's series with every keyword or post added up (the dashboard's "counts per minute by type and
        // component"): the primary key holds a component's minutes member by member, so a window of them was the whole
        // history of every member, read and added up row by row (bench (l), 7 days of 10 keywords: p95 195 ms). In minute
        // order and with the count, a window is one range of this index, summed by SQLite as it reads.
        new(101, """
            CREATE INDEX IF NOT EXISTS ix_stat_minutes_component_minute ON stat_minutes (type, component_id, minute, count);
            """),
        // A component's count per minute, every keyword or post added up, kept in the transaction that writes its
        // members' rows: a 7-day series of a component is 10,080 rows, not one per member and minute. 101's index has no
        // reader left. Filled from the members' rows already stored.
        new(102, """
            CREATE TABLE IF NOT EXISTS stat_component_minutes (
                type TEXT NOT NULL,
                component_id INTEGER NOT NULL,
                minute INTEGER NOT NULL,
                count INTEGER NOT NULL,
                PRIMARY KEY (type, component_id, minute)) WITHOUT ROWID;
            INSERT OR REPLACE INTO stat_component_minutes (type, component_id, minute, count)
            SELECT type, component_id, minute, SUM(count) FROM stat_minutes GROUP BY type, component_id, minute;
            DROP INDEX IF EXISTS ix_stat_minutes_component_minute;
            """),
    ];
}
