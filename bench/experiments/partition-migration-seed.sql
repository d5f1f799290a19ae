INSERT INTO users (external_id, user_attributes, created_at, updated_at) SELECT 'u' || g, '{}', now(), now() FROM generate_series(1, 100) g;
INSERT INTO campaigns (name, properties, created_at) VALUES ('c', '[]', now());
INSERT INTO events (name, user_id, external_id, properties, created_at, event_time)
  SELECT CASE WHEN g % 3 = 0 THEN 'purchase' ELSE 'view' END, 1 + g % 100, 'u' || (1 + g % 100),
         '[{"key":"orderId","value":"x"},{"key":"category","value":"y"},{"key":"price","value":"1"}]', now() - (:n - g) * interval '2 seconds', now() - (:n - g) * interval '2 seconds'
  FROM generate_series(1, :n) g;
INSERT INTO event_properties (event_id, key, value, num_value)
  SELECT e.id, k.key, k.key || '-' || (e.id % (CASE k.key WHEN 'category' THEN 20 ELSE 100000 END)), CASE WHEN k.key = 'price' THEN e.id % 1000 END
  FROM events e, (VALUES ('orderId'), ('category'), ('price')) AS k(key);
INSERT INTO campaign_events (campaign_id, event_id) SELECT 1, id FROM events;
INSERT INTO tracked_events (type, user_id, session_id, component_id, occurred_at)
  SELECT 'PAGE_VIEW', 1 + g % 100, 's' || (g % 1000), 1 + g % 10, now() - (:n - g) * interval '2 seconds' FROM generate_series(1, :n) g;
VACUUM ANALYZE;
