#!/usr/bin/env python3
"""Writes the CRM batch insert of PostgresEventStore.AppendSql (src/Pulse.Postgres/PostgresEventStore.cs) with N
events of scenario (a) inlined as array literals, for pgbench: what one group commit costs PostgreSQL alone.

    bench/pg/crm_batch_sql.py 30 > /tmp/batch30.sql
    pgbench -h 127.0.0.1 -p PORT -U postgres -n -M prepared -f /tmp/batch30.sql -T 8 -c 1 DATABASE

The database needs Pulse's schema (start Pulse against it once), users 1..5 and campaign 1 (bench/run.sh seeds
both). Keep the statement in step with AppendSql when that changes.
"""
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 30


def array(items, sql_type):
    return "ARRAY[" + ",".join(items) + "]::" + sql_type


user_ids = [str(random.randint(1, 5)) for _ in range(n)]
property_ords, keys, values, numbers, json = [], [], [], [], []
for i in range(n):
    value = str(random.randint(0, 999))
    timestamp = "2026-11-21T10:00:%02d.%03dZ" % (i % 60, i % 1000)
    json.append("'[{\"key\":\"action\",\"value\":\"test\"},{\"key\":\"timestamp\",\"value\":\"%s\"},"
                "{\"key\":\"value\",\"value\":\"%s\"}]'" % (timestamp, value))
    for key, text, number in (("action", "test", "NULL"), ("timestamp", timestamp, "NULL"), ("value", value, value)):
        property_ords.append(str(i + 1))
        keys.append("'%s'" % key)
        values.append("'%s'" % text)
        numbers.append(number)

events = ", ".join([
    array(["'benchmark-event'"] * n, "text[]"),
    array(user_ids, "bigint[]"),
    array(["'test-user-%s'" % u for u in user_ids], "text[]"),
    array(json, "json[]"),
    array(["now()"] * n, "timestamptz[]"),
])
properties = ", ".join([
    array(property_ords, "bigint[]"), array(keys, "text[]"), array(values, "text[]"), array(numbers, "float8[]"),
])
links = ", ".join([array([str(i + 1) for i in range(n)], "bigint[]"), array(["1"] * n, "bigint[]")])

print(f"""WITH input AS (
    SELECT * FROM unnest({events})
        WITH ORDINALITY AS t(name, user_id, external_id, properties, created_at, ord)
), sequence AS MATERIALIZED (
    SELECT pg_get_serial_sequence('events', 'id')::regclass AS name
), ids AS (
    SELECT ord, nextval(sequence.name) AS id FROM input, sequence
), inserted_events AS (
    INSERT INTO events (id, name, user_id, external_id, properties, created_at)
    SELECT ids.id, input.name, input.user_id, input.external_id, input.properties, input.created_at
    FROM input JOIN ids USING (ord)
), inserted_properties AS (
    INSERT INTO event_properties (event_id, key, value, num_value)
    SELECT ids.id, p.key, p.value, p.num_value
    FROM unnest({properties}) AS p(ord, key, value, num_value) JOIN ids USING (ord)
), inserted_links AS (
    INSERT INTO campaign_events (campaign_id, event_id)
    SELECT l.campaign_id, ids.id
    FROM unnest({links}) AS l(ord, campaign_id) JOIN ids USING (ord)
)
SELECT id FROM ids ORDER BY ord;""".replace("\n", " "))
