using Pulse.Core;

namespace Pulse.Postgres.Tracking;

/// <summary>
/// Tracked events, per-minute and all-time counts and roll-up markers (versions 100–199). Absent post ids and
/// keywords are stored as 0 and '' so they can be part of the primary keys. Never edit a released version.
/// </summary>
public static class PostgresTrackingSchema
{
    public static readonly SchemaScript[] Scripts =
    [
        new(100, """
            CREATE TABLE tracked_events (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                type text NOT NULL,
                user_id bigint,
                session_id text NOT NULL,
                component_id bigint NOT NULL,
                element_id text,
                keyword text,
                post_id bigint,
                occurred_at timestamptz NOT NULL);
            -- Rows arrive in time order: a block-range index serves time ranges for a tiny fraction of a B-tree's size and insert cost.
            CREATE INDEX ix_tracked_events_occurred_at ON tracked_events USING brin (occurred_at);

            -- Key order serves /api/statistics (one counter's minutes are one key range) and the roll-up's upserts.
            CREATE TABLE stat_minutes (
                type text NOT NULL,
                component_id bigint NOT NULL,
                post_id bigint NOT NULL,
                keyword text COLLATE "C" NOT NULL,
                minute timestamptz NOT NULL,
                count bigint NOT NULL,
                PRIMARY KEY (type, component_id, post_id, keyword, minute));
            -- Top keywords: SEARCH rows of a range of minutes, read from the index alone (rows are written once per bucket).
            CREATE INDEX ix_stat_minutes_search ON stat_minutes (minute) INCLUDE (keyword, count) WHERE type = 'SEARCH';

            -- Updated in place by every roll-up: free space on each page lets those updates stay HOT (no index writes).
            CREATE TABLE stat_totals (
                type text NOT NULL,
                component_id bigint NOT NULL,
                post_id bigint NOT NULL,
                keyword text COLLATE "C" NOT NULL,
                count bigint NOT NULL,
                PRIMARY KEY (type, component_id, post_id, keyword)) WITH (fillfactor = 80);

            -- One row per rolled-up bucket, inserted in the transaction that adds its counts. Minute first: the roll-up
            -- and the readers ask for a range of minutes.
            CREATE TABLE stat_rollups (
                minute timestamptz NOT NULL,
                type text NOT NULL,
                members integer NOT NULL,
                rolled_up_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (minute, type));
            """),
        // The dashboard's per-minute series of a whole type (every component) read one range of minutes, not all of
        // the type's history; roll-ups write each row once, so the index costs little.
        new(101, """
            CREATE INDEX IF NOT EXISTS ix_stat_minutes_type_minute ON stat_minutes (type, minute) INCLUDE (component_id, post_id, keyword, count);
            """),
        // A component's series with every keyword or post added up (the dashboard's "counts per minute by type and
        // component"): the primary key holds a component's rows member by member, so 7 days of 10 keywords were 100,800
        // rows read through it and summed per minute by a hash aggregate (bench (l): p95 65.8 ms). Here the window is one
        // range in minute order, read from the index alone (count is included) and summed as it is read.
        new(102, """
            CREATE INDEX IF NOT EXISTS ix_stat_minutes_component_minute ON stat_minutes (type, component_id, minute) INCLUDE (count);
            """),
        // A component's count per minute, every keyword or post added up, kept by the same statements that write its
        // members' rows. 102's index still left 100,800 rows to read and add for 7 days of a component with 10 keywords
        // (bench (l): p95 60.2 ms against the 50 the dashboard's issue sets); here they are 10,080, one per minute, and
        // the index of 102 has no reader left. Filled from the members' rows already stored.
        new(103, """
            CREATE TABLE IF NOT EXISTS stat_component_minutes (
                type text NOT NULL,
                component_id bigint NOT NULL,
                minute timestamptz NOT NULL,
                count bigint NOT NULL,
                PRIMARY KEY (type, component_id, minute));
            INSERT INTO stat_component_minutes (type, component_id, minute, count)
            SELECT type, component_id, minute, sum(count) FROM stat_minutes GROUP BY type, component_id, minute
            ON CONFLICT (type, component_id, minute) DO UPDATE SET count = excluded.count;
            DROP INDEX IF EXISTS ix_stat_minutes_component_minute;
            """),
    ];
}
