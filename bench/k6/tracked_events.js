// Tracked events (scenarios c and e). MODE=click: CLICK events without think time (saturation, 64 VUs);
// MODE=seed004 (default): seed 004's Locust test — a random type among CLICK, PAGE_VIEW, SEARCH, LIKE and
// 0.5-1.0 s between requests, ramping up 10 VUs/s to 500.
//   k6 run -e BASE_URL=http://127.0.0.1:8080 bench/k6/tracked_events.js
//   k6 run -e BASE_URL=http://127.0.0.1:8080 -e MODE=click bench/k6/tracked_events.js
import http from 'k6/http';
import { check, sleep } from 'k6';

const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:8080';
const MODE = __ENV.MODE || 'seed004';
const JSON_HEADERS = { headers: { 'Content-Type': 'application/json' } };
const TYPES = ['CLICK', 'PAGE_VIEW', 'SEARCH', 'LIKE'];
const rand = (lo, hi) => lo + Math.floor(Math.random() * (hi - lo + 1));
const uuid = () => 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
  const r = Math.random() * 16 | 0;
  return (c === 'x' ? r : (r & 0x3 | 0x8)).toString(16);
});

export const options = MODE === 'click'
  ? { vus: Number(__ENV.VUS || 64), duration: __ENV.DURATION || '30s', thresholds: { http_req_failed: ['rate==0'] } }
  : {
    stages: [
      { duration: '50s', target: 500 },                 // spawn rate 10 users/s
      { duration: __ENV.DURATION || '70s', target: 500 },
    ],
    thresholds: { http_req_failed: ['rate==0'] },
  };

export default function () {
  const eventType = MODE === 'click' ? 'CLICK' : TYPES[rand(0, TYPES.length - 1)];
  const metadata = { componentId: rand(1000, 2000), elementId: `element-${rand(1, 50)}` };
  if (eventType === 'SEARCH') { metadata.componentId = 200; metadata.keyword = `keyword-${rand(1, 10)}`; }
  if (eventType === 'LIKE') { metadata.componentId = 100; metadata.postId = rand(1, 10); }
  const body = { eventType, userId: rand(1, 100), sessionId: `session-${uuid()}`, metadata };
  const res = http.post(`${BASE_URL}/api/events`, JSON.stringify(body), JSON_HEADERS);
  check(res, { 'status is 201': (r) => r.status === 201 });
  if (MODE !== 'click') sleep(0.5 + Math.random() * 0.5);
}
