// Batch ingest (scenario d): POST /api/v1/events/batch with 500 seed-000 events per request, 8 VUs.
// Run seed000_events.js once first (its setup creates the users and the campaign).
//   k6 run -e BASE_URL=http://127.0.0.1:8080 bench/k6/batch.js
import http from 'k6/http';
import { check } from 'k6';
import { Counter } from 'k6/metrics';

const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:8080';
const SIZE = Number(__ENV.BATCH_SIZE || 500);
const JSON_HEADERS = { headers: { 'Content-Type': 'application/json' } };
const events = new Counter('events_committed');

export const options = { vus: Number(__ENV.VUS || 8), duration: __ENV.DURATION || '30s' };

export default function () {
  const now = new Date().toISOString();
  const batch = [];
  for (let i = 0; i < SIZE; i++) {
    batch.push({
      name: 'benchmark-event',
      campaignName: 'benchmark-campaign',
      externalId: `test-user-${1 + Math.floor(Math.random() * 5)}`,
      properties: [
        { key: 'action', value: 'test' },
        { key: 'timestamp', value: now },
        { key: 'value', value: String(Math.floor(Math.random() * 1000)) },
      ],
    });
  }
  const res = http.post(`${BASE_URL}/api/v1/events/batch`, JSON.stringify(batch), JSON_HEADERS);
  const ok = check(res, { 'all committed': (r) => r.status === 200 && r.body.includes('"failed":0') });
  if (ok) events.add(SIZE);
}
