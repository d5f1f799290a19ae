using Pulse.Core;

namespace Pulse.Postgres.Retention;

/// <summary>Time partitioning for retention (versions 600-699). Never edit a released version. Design: docs/lifecycle.md.</summary>
public static class PostgresRetentionSchema
{
    /// <summary>How far back the conversion makes weekly partitions for existing rows; older rows go to the default partition.</summary>
    public const int LookbackWeeks = 52;

    /// <summary>
    /// The next week's partition is made once the current week has at most this many hours left, not earlier: every
    /// partition, even an empty one, costs each search that does not filter by time (planned, locked and started per
    /// partition; docs/lifecycle.md). A row for a week with no partition yet goes to the default partition and moves
    /// into its week's partition when that is made, so a pass that comes late (a long Retention:Interval) loses nothing.
    /// </summary>
    public const int NextWeekWithinHours = 6;

    public static readonly SchemaScript[] Scripts =
    [
        // Events, their properties and campaign links, and tracked events become PARTITION BY RANGE on their own time,
        // one partition per UTC week (Monday 00:00) plus a DEFAULT partition, so an insert never fails for a time with
        // no partition; retention drops whole weeks of all three event tables together. Properties and links carry
        // their event's time for that (the foreign keys went in version 2, the write path fills it). Runs in the
        // migration's one transaction: tables renamed, new ones created LIKE the old (every column, collation,
        // default and identity, whatever earlier versions added), rows copied, every index of the old tables replayed
        // from its definition, the identity sequences continued from where the old ones stood, old tables dropped.
        // The ACCESS EXCLUSIVE locks keep writers out meanwhile (docs/lifecycle.md: seconds per million events).
        new(600, $$"""
            LOCK TABLE events, event_properties, campaign_events, tracked_events IN ACCESS EXCLUSIVE MODE;
            DO $convert$
            DECLARE
                saved text[];
                definition text;
                week timestamptz;
                first_week timestamptz;
                last_week timestamptz := date_trunc('week', (now() + interval '{{NextWeekWithinHours}} hours') AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
                parent text;
                sequence_state record;
                oldest timestamptz;
                part text;
            BEGIN
                SELECT array_agg(pg_get_indexdef(i.indexrelid) ORDER BY c.relname, i.indexrelid) INTO saved
                FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
                WHERE c.oid IN ('events'::regclass, 'event_properties'::regclass, 'campaign_events'::regclass, 'tracked_events'::regclass)
                  AND NOT i.indisprimary;

                FOREACH parent IN ARRAY ARRAY['events', 'event_properties', 'campaign_events', 'tracked_events'] LOOP
                    EXECUTE format('ALTER TABLE %I RENAME TO %I', parent, parent || '_unpartitioned');
                    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT IF EXISTS %I', parent || '_unpartitioned', parent || '_pkey');
                END LOOP;
                FOR definition IN
                    SELECT i.indexrelid::regclass::text FROM pg_index i
                    WHERE i.indrelid IN ('events_unpartitioned'::regclass, 'event_properties_unpartitioned'::regclass,
                                         'campaign_events_unpartitioned'::regclass, 'tracked_events_unpartitioned'::regclass)
                LOOP
                    EXECUTE format('DROP INDEX %s', definition);
                END LOOP;
                DROP STATISTICS IF EXISTS st_event_properties_key_value, st_event_properties_key_num;
                ALTER SEQUENCE events_id_seq RENAME TO events_unpartitioned_id_seq;
                ALTER SEQUENCE tracked_events_id_seq RENAME TO tracked_events_unpartitioned_id_seq;

                CREATE TABLE events (LIKE events_unpartitioned INCLUDING DEFAULTS INCLUDING IDENTITY) PARTITION BY RANGE (event_time);
                CREATE TABLE event_properties (LIKE event_properties_unpartitioned INCLUDING DEFAULTS, event_time timestamptz NOT NULL)
                    PARTITION BY RANGE (event_time);
                CREATE TABLE campaign_events (LIKE campaign_events_unpartitioned INCLUDING DEFAULTS, event_time timestamptz NOT NULL)
                    PARTITION BY RANGE (event_time);
                CREATE TABLE tracked_events (LIKE tracked_events_unpartitioned INCLUDING DEFAULTS INCLUDING IDENTITY) PARTITION BY RANGE (occurred_at);

                SELECT min(t) INTO oldest
                FROM (SELECT min(event_time) AS t FROM events_unpartitioned UNION ALL SELECT min(occurred_at) FROM tracked_events_unpartitioned) AS m;
                first_week := date_trunc('week', greatest(coalesce(oldest, now()), now() - interval '{{LookbackWeeks}} weeks') AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
                first_week := least(first_week, date_trunc('week', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC');
                FOREACH parent IN ARRAY ARRAY['events', 'event_properties', 'campaign_events', 'tracked_events'] LOOP
                    EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', parent || '_default', parent);
                    week := first_week;
                    WHILE week <= last_week LOOP
                        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                            parent || '_p' || to_char(week AT TIME ZONE 'UTC', 'YYYYMMDD'), parent, week, week + interval '1 week');
                        week := week + interval '1 week';
                    END LOOP;
                END LOOP;

                INSERT INTO events SELECT * FROM events_unpartitioned;
                -- Every property and link keeps its row: one without its event (none is written so) goes to the default partition.
                INSERT INTO event_properties SELECT p.*, coalesce(e.event_time, '-infinity') FROM event_properties_unpartitioned p
                    LEFT JOIN events_unpartitioned e ON e.id = p.event_id;
                INSERT INTO campaign_events SELECT l.*, coalesce(e.event_time, '-infinity') FROM campaign_events_unpartitioned l
                    LEFT JOIN events_unpartitioned e ON e.id = l.event_id;
                INSERT INTO tracked_events OVERRIDING SYSTEM VALUE SELECT * FROM tracked_events_unpartitioned;

                FOREACH parent IN ARRAY ARRAY['events', 'tracked_events'] LOOP
                    EXECUTE format('SELECT last_value, is_called FROM %I', parent || '_unpartitioned_id_seq') INTO sequence_state;
                    PERFORM setval(pg_get_serial_sequence(parent, 'id'), sequence_state.last_value, sequence_state.is_called);
                END LOOP;

                DROP TABLE events_unpartitioned, event_properties_unpartitioned, campaign_events_unpartitioned, tracked_events_unpartitioned;

                ALTER TABLE events ADD PRIMARY KEY (id, event_time);
                ALTER TABLE event_properties ADD PRIMARY KEY (event_id, key, event_time);
                ALTER TABLE campaign_events ADD PRIMARY KEY (campaign_id, event_id, event_time);
                ALTER TABLE tracked_events ADD PRIMARY KEY (id, occurred_at);
                IF saved IS NOT NULL THEN
                    FOREACH definition IN ARRAY saved LOOP
                        EXECUTE definition;
                    END LOOP;
                END IF;
                -- The planner estimates each partition from its own statistics: version 3's multivariate ones per partition.
                FOR part IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'event_properties'::regclass LOOP
                    EXECUTE format('CREATE STATISTICS %I (ndistinct, dependencies, mcv) ON key, value FROM %I', 'st_' || part || '_key_value', part);
                    EXECUTE format('CREATE STATISTICS %I (dependencies, mcv) ON key, num_value FROM %I', 'st_' || part || '_key_num', part);
                END LOOP;
            END
            $convert$;
            -- Expiry finds a chunk's links by their event, and a minute counter by its minute.
            CREATE INDEX IF NOT EXISTS ix_campaign_events_event_id ON campaign_events (event_id);
            CREATE INDEX IF NOT EXISTS ix_stat_minutes_minute ON stat_minutes (minute);
            CREATE INDEX IF NOT EXISTS ix_stat_component_minutes_minute ON stat_component_minutes (minute);
            ANALYZE events, event_properties, campaign_events, tracked_events;
            """),
    ];
}
