// Seed 000's k6 test (scenario a): 100 VUs for 30 s, each POSTs /api/v1/events then sleeps 100 ms.
// SLEEP=0 VUS=64 gives the saturation run (scenario b).
//   k6 run -e BASE_URL=http://127.0.0.1:8080 bench/k6/seed000_events.js
//   k6 run -e BASE_URL=http://127.0.0.1:8080 -e VUS=64 -e SLEEP=0 bench/k6/seed000_events.js
import http from 'k6/http';
import { check, sleep } from 'k6';

const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:8080';
const SLEEP = __ENV.SLEEP === undefined ? 0.1 : Number(__ENV.SLEEP);
const JSON_HEADERS = { headers: { 'Content-Type': 'application/json' } };
const USERS = ['test-user-1', 'test-user-2', 'test-user-3', 'test-user-4', 'test-user-5'];

export const options = {
  vus: Number(__ENV.VUS || 100),
  duration: __ENV.DURATION || '30s',
  thresholds: {
    http_req_failed: ['rate==0'],
    checks: ['rate==1'],
    http_req_duration: ['p(95)<5', 'p(99)<10'],
  },
};

// Creates the 5 users and the campaign; 409 (already there) is fine.
export function setup() {
  for (const externalId of USERS) {
    http.post(`${BASE_URL}/api/v1/users`, JSON.stringify({
      externalId,
      userAttributes: JSON.stringify({ email: `${externalId}@example.com` }),
    }), JSON_HEADERS);
  }
  http.post(`${BASE_URL}/api/v1/events/campaign`, JSON.stringify({
    name: 'benchmark-campaign',
    properties: [{ key: 'action', value: 'test' }, { key: 'timestamp', value: 'now' }, { key: 'value', value: '0' }],
  }), JSON_HEADERS);
}

export default function () {
  const body = {
    name: 'benchmark-event',
    campaignName: 'benchmark-campaign',
    externalId: USERS[Math.floor(Math.random() * USERS.length)],
    properties: [
      { key: 'action', value: 'test' },
      { key: 'timestamp', value: new Date().toISOString() },
      { key: 'value', value: String(Math.floor(Math.random() * 1000)) },
    ],
  };
  const res = http.post(`${BASE_URL}/api/v1/events`, JSON.stringify(body), JSON_HEADERS);
  check(res, {
    'status is 201': (r) => r.status === 201,
    'linked to the campaign': (r) => r.body && r.body.includes('Event saved with campaign'),
  });
  if (SLEEP > 0) sleep(SLEEP);
}
