-- (g)'s 1M "purchase" events with orderId, category, price and sku (as seed-events.sql + seed-properties-main.sql),
-- spread evenly over :ranges id ranges of docs/lifecycle.md's layout (range k: ids from k * 2^40); :ranges = 1 puts
-- them all in range 0 (main's layout and a converted database alike). Ranges 1.. must exist (retention_start_range).
SELECT setseed(0.7);
INSERT INTO users (external_id, user_attributes, created_at, updated_at) SELECT 'bench-user-' || g, '{}', now(), now() FROM generate_series(1, 1000) g ON CONFLICT DO NOTHING;
CREATE TEMP TABLE s AS SELECT g AS i, (((g - 1) * :ranges / 1000000)::bigint << 40) + 1000000 + g AS id, (random()*999)::int AS price, (random()*99999)::int AS sku FROM generate_series(1, 1000000) g;
INSERT INTO events (id, name, user_id, external_id, properties, created_at, event_time)
SELECT id, 'purchase', 1 + i % 1000, 'bench-user-' || (1 + i % 1000),
  json_build_array(json_build_object('key','orderId','value','ord-'||i), json_build_object('key','category','value','cat-'||(i%20)),
                   json_build_object('key','price','value',price::text), json_build_object('key','sku','value','sku-'||lpad(sku::text,5,'0'))),
  now(), now() FROM s;
INSERT INTO event_properties (event_id, key, value, num_value)
SELECT id, k.key, k.value, k.num FROM s, LATERAL (VALUES ('orderId', 'ord-'||i, NULL::float8), ('category','cat-'||(i%20), NULL), ('price', price::text, price::float8), ('sku','sku-'||lpad(sku::text,5,'0'), NULL)) AS k(key, value, num);
SELECT setval(pg_get_serial_sequence('events', 'id'), (SELECT max(id) FROM events));
VACUUM ANALYZE events; VACUUM ANALYZE event_properties;
