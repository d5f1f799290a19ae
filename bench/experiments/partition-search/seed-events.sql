SELECT setseed(0.7);
INSERT INTO users (external_id, user_attributes, created_at, updated_at) SELECT 'bench-user-' || g, '{}', now(), now() FROM generate_series(1, 1000) g ON CONFLICT DO NOTHING;
CREATE TEMP TABLE s AS SELECT g AS i, (random()*999)::int AS price, (random()*99999)::int AS sku FROM generate_series(1, 1000000) g;
INSERT INTO events (id, name, user_id, external_id, properties, created_at, event_time)
SELECT 1000000 + i, 'purchase', 1 + i % 1000, 'bench-user-' || (1 + i % 1000),
  json_build_array(json_build_object('key','orderId','value','ord-'||i), json_build_object('key','category','value','cat-'||(i%20)),
                   json_build_object('key','price','value',price::text), json_build_object('key','sku','value','sku-'||lpad(sku::text,5,'0'))),
  now(), now() FROM s;
