// Search (scenario g) over the data set bench/run.sh seeds ("purchase" events with orderId ord-1..N,
// category cat-0..19, price 0..999, sku sku-00000..99999). MODE=eq: one orderId; MODE=three: category =,
// price >, sku like, limit=100. '&' inside `where` is percent-encoded.
//   k6 run -e BASE_URL=http://127.0.0.1:8080 -e MODE=eq -e EVENTS=1000000 bench/k6/search.js
import http from 'k6/http';
import { check } from 'k6';

const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:8080';
const MODE = __ENV.MODE || 'eq';
const EVENTS = Number(__ENV.EVENTS || 1000000);
const rand = (lo, hi) => lo + Math.floor(Math.random() * (hi - lo + 1));

export const options = {
  vus: Number(__ENV.VUS || 8),
  duration: __ENV.DURATION || '30s',
  thresholds: { http_req_duration: [MODE === 'eq' ? 'p(95)<5' : 'p(95)<50'], http_req_failed: ['rate==0'] },
};

export default function () {
  const where = MODE === 'eq'
    ? `orderId&ord-${rand(1, EVENTS)}&=&end`
    : `category&cat-${rand(0, 19)}&=&and,price&${rand(100, 900)}&>&and,sku&${rand(0, 9)}&like&end`;
  const limit = MODE === 'eq' ? '' : '&limit=100';
  const res = http.get(`${BASE_URL}/api/v1/events?eventName=purchase${limit}&where=${encodeURIComponent(where)}`);
  check(res, { 'found': (r) => r.status === 200 && r.body.includes('"events":[{') });
}
