using Pulse.Core;

namespace Pulse.Postgres.Retention;

/// <summary>Partitioning by id range for retention (versions 600-699). Never edit a released version. Design: docs/lifecycle.md.</summary>
public static class PostgresRetentionSchema
{
    public static readonly SchemaScript[] Scripts =
    [
        // Partitioning by id range, for the table sets whose retention is set (docs/lifecycle.md, "Retention"): events
        // (by id) with their properties and campaign links (by event id), and tracked events (by id). Range k holds ids
        // [k * 2^40, (k + 1) * 2^40); range 0 starts at MINVALUE and is the existing table itself. This version only
        // defines the functions: retention_partition converts a set in place the first time a retention setting for
        // it is on (PostgresRetentionStore.PrepareAsync, at start-up), so a database that keeps everything keeps
        // plain tables: a search on a partitioned table costs more even with one partition (docs/lifecycle.md).
        // The conversion copies no row: each table is renamed to its range-0 partition (<table>_r0, its indexes and
        // extended statistics renamed with it), a partitioned parent with the same columns, defaults and identity
        // takes the old name, gets the original index and statistics names (the indexes of r0 match and are attached
        // rather than built) and ATTACHes r0 (one sequential scan to check its ids lie in range 0). The identity
        // sequence continues where the old one stood. No DEFAULT partition and no partition ahead of need: a search
        // that does not filter by id plans, locks and starts every partition. Retention starts range k + 1
        // (retention_start_range) once range k is a period old, and drops a range whose every row has expired.
        new(600, """
            CREATE TABLE retention_ranges (
                table_set text NOT NULL,
                range_no integer NOT NULL,
                first_id bigint NOT NULL,
                started_at timestamptz NOT NULL,
                PRIMARY KEY (table_set, range_no));

            -- Converts a table set to range partitions in place, under ACCESS EXCLUSIVE locks until the caller commits;
            -- false when it is partitioned already.
            CREATE FUNCTION retention_partition(set_name text) RETURNS boolean LANGUAGE plpgsql AS $function$
            DECLARE
                tabs text[] := CASE set_name WHEN 'events' THEN ARRAY['events', 'event_properties', 'campaign_events']
                                             WHEN 'tracked_events' THEN ARRAY['tracked_events'] END;
                parent text;
                key_column text;
                old_table text;
                definitions text[];
                statistics text[];
                definition text;
                item record;
                identity "char";
                sequence_state record;
            BEGIN
                IF tabs IS NULL THEN
                    RAISE EXCEPTION 'unknown table set %', set_name;
                END IF;
                IF (SELECT relkind FROM pg_class WHERE oid = tabs[1]::regclass) = 'p' THEN
                    RETURN false;
                END IF;
                FOREACH parent IN ARRAY tabs LOOP
                    EXECUTE format('LOCK TABLE %I IN ACCESS EXCLUSIVE MODE', parent);
                END LOOP;
                -- Another instance may have converted the set while this one waited for the locks (the names now lock
                -- its parents).
                IF (SELECT relkind FROM pg_class WHERE oid = tabs[1]::regclass) = 'p' THEN
                    RETURN false;
                END IF;
                FOREACH parent IN ARRAY tabs LOOP
                    key_column := CASE WHEN parent IN ('event_properties', 'campaign_events') THEN 'event_id' ELSE 'id' END;
                    old_table := parent || '_r0';
                    SELECT coalesce(array_agg(pg_get_indexdef(i.indexrelid)), '{}') INTO definitions
                    FROM pg_index i WHERE i.indrelid = parent::regclass AND NOT i.indisprimary;
                    SELECT coalesce(array_agg(pg_get_statisticsobjdef(st.oid)), '{}') INTO statistics
                    FROM pg_statistic_ext st WHERE st.stxrelid = parent::regclass;

                    EXECUTE format('ALTER TABLE %I RENAME TO %I', parent, old_table);
                    EXECUTE format('ALTER TABLE %I RENAME CONSTRAINT %I TO %I', old_table, parent || '_pkey', old_table || '_pkey');
                    FOR item IN SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                                WHERE i.indrelid = old_table::regclass AND NOT i.indisprimary LOOP
                        EXECUTE format('ALTER INDEX %I RENAME TO %I', item.relname, left(item.relname, 59) || '_r0');
                    END LOOP;
                    FOR item IN SELECT st.stxname FROM pg_statistic_ext st WHERE st.stxrelid = old_table::regclass LOOP
                        EXECUTE format('ALTER STATISTICS %I RENAME TO %I', item.stxname, left(item.stxname, 59) || '_r0');
                    END LOOP;

                    SELECT a.attidentity INTO identity FROM pg_attribute a WHERE a.attrelid = old_table::regclass AND a.attname = 'id';
                    IF identity IN ('a', 'd') THEN
                        EXECUTE format('SELECT last_value, is_called FROM %s', pg_get_serial_sequence(old_table, 'id')) INTO sequence_state;
                        EXECUTE format('ALTER TABLE %I ALTER COLUMN id DROP IDENTITY', old_table);
                    END IF;

                    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING ALL EXCLUDING INDEXES EXCLUDING STATISTICS EXCLUDING IDENTITY) PARTITION BY RANGE (%I)',
                        parent, old_table, key_column);
                    IF identity IN ('a', 'd') THEN
                        EXECUTE format('ALTER TABLE %I ALTER COLUMN id ADD GENERATED %s AS IDENTITY', parent, CASE identity WHEN 'a' THEN 'ALWAYS' ELSE 'BY DEFAULT' END);
                        PERFORM setval(pg_get_serial_sequence(parent, 'id'), sequence_state.last_value, sequence_state.is_called);
                    END IF;
                    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY (%s)', parent, parent || '_pkey',
                        CASE parent WHEN 'event_properties' THEN 'event_id, key' WHEN 'campaign_events' THEN 'campaign_id, event_id' ELSE 'id' END);
                    FOREACH definition IN ARRAY definitions LOOP
                        EXECUTE definition;
                    END LOOP;
                    FOREACH definition IN ARRAY statistics LOOP
                        EXECUTE definition;
                    END LOOP;
                    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (MINVALUE) TO (%s)', parent, old_table, 1::bigint << 40);
                END LOOP;
                INSERT INTO retention_ranges (table_set, range_no, first_id, started_at) VALUES (set_name, 0, 0, now());
                RETURN true;
            END
            $function$;

            -- Starts the next range of a table set (partitioning the set first if it is not yet): its partitions made LIKE
            -- the parents (columns, defaults, indexes and extended statistics) and attached (SHARE UPDATE EXCLUSIVE on a parent with no default partition: inserts and
            -- searches go on), the range recorded. The caller moves the identity sequence to the range's first id after
            -- commit (retention_follow_newest_range): setval is not undone by a rollback.
            CREATE FUNCTION retention_start_range(set_name text, started timestamptz) RETURNS bigint LANGUAGE plpgsql AS $function$
            DECLARE
                next_no integer;
                first bigint;
                tab text;
                tabs text[] := CASE set_name WHEN 'events' THEN ARRAY['events', 'event_properties', 'campaign_events']
                                             WHEN 'tracked_events' THEN ARRAY['tracked_events'] END;
            BEGIN
                IF tabs IS NULL THEN
                    RAISE EXCEPTION 'unknown table set %', set_name;
                END IF;
                PERFORM retention_partition(set_name);
                SELECT max(range_no) + 1 INTO next_no FROM retention_ranges WHERE table_set = set_name;
                first := next_no::bigint << 40;
                FOREACH tab IN ARRAY tabs LOOP
                    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING ALL EXCLUDING IDENTITY)', tab || '_r' || next_no, tab);
                    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)', tab, tab || '_r' || next_no, first, first + (1::bigint << 40));
                END LOOP;
                INSERT INTO retention_ranges (table_set, range_no, first_id, started_at) VALUES (set_name, next_no, first, started);
                RETURN first;
            END
            $function$;

            -- Moves the set's identity sequence up to its newest range's first id, when it is still below it; never back.
            CREATE FUNCTION retention_follow_newest_range(set_name text) RETURNS void LANGUAGE plpgsql AS $function$
            DECLARE
                sequence_name text := pg_get_serial_sequence(set_name, 'id');
                first bigint;
            BEGIN
                SELECT r.first_id INTO first FROM retention_ranges r WHERE r.table_set = set_name ORDER BY r.range_no DESC LIMIT 1;
                IF first > 0 AND coalesce(pg_sequence_last_value(sequence_name::regclass), 0) < first THEN
                    PERFORM setval(sequence_name, first, false);
                END IF;
            END
            $function$;

            -- Expiry finds a chunk's minute counters by their minute.
            CREATE INDEX IF NOT EXISTS ix_stat_minutes_minute ON stat_minutes (minute);
            CREATE INDEX IF NOT EXISTS ix_stat_component_minutes_minute ON stat_component_minutes (minute);
            """),
    ];
}
