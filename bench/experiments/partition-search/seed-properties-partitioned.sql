INSERT INTO event_properties (event_id, key, value, num_value, event_time)
SELECT 1000000 + i, k.key, k.value, k.num, now() FROM s, LATERAL (VALUES ('orderId', 'ord-'||i, NULL::float8), ('category','cat-'||(i%20), NULL), ('price', price::text, price::float8), ('sku','sku-'||lpad(sku::text,5,'0'), NULL)) AS k(key, value, num);
SELECT setval(pg_get_serial_sequence('events', 'id'), (SELECT max(id) FROM events));
VACUUM ANALYZE events; VACUUM ANALYZE event_properties;
