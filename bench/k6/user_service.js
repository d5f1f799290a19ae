// Seed 004's user-service mix (scenario f): 200 VUs, one task per second each; like-toggle 4, hashtag
// search 2, click 2, page view 2. setup() seeds 1,000 posts with 1-4 of the ten hashtags.
//   k6 run -e BASE_URL=http://127.0.0.1:8080 bench/k6/user_service.js
import http from 'k6/http';
import { check, sleep } from 'k6';

const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:8080';
const JSON_HEADERS = { headers: { 'Content-Type': 'application/json' } };
const KEYWORDS = ['고양이', '강아지', '여행', '맛집', '일상', '운동', '독서', '음악', '코딩', '스터디'];
const rand = (lo, hi) => lo + Math.floor(Math.random() * (hi - lo + 1));

export const options = {
  vus: Number(__ENV.VUS || 200),
  duration: __ENV.DURATION || '2m',
  setupTimeout: '120s',
  thresholds: { http_req_failed: ['rate==0'], http_req_duration: ['p(95)<15'] },
};

export function setup() {
  const ids = [];
  for (let i = 0; i < 1000; i++) {
    const tags = KEYWORDS.slice().sort(() => Math.random() - 0.5).slice(0, rand(1, 4));
    const res = http.post(`${BASE_URL}/api/posts`, JSON.stringify({
      userId: rand(1, 100), content: `benchmark post ${i} ${tags.map((t) => '#' + t).join(' ')}`, hashtags: tags,
    }), JSON_HEADERS);
    if (res.status === 201) ids.push(res.json('postId'));
  }
  return { ids: ids.length ? ids : Array.from({ length: 1000 }, (_, i) => i + 1) };
}

function track(eventType, componentId) {
  const res = http.post(`${BASE_URL}/api/events`, JSON.stringify({
    eventType, userId: rand(1, 100), sessionId: `session-${Date.now()}-${Math.random()}`,
    metadata: { componentId, elementId: `element-${rand(1, 50)}` },
  }), JSON_HEADERS);
  check(res, { 'event 201': (r) => r.status === 201 });
}

export default function (data) {
  const started = Date.now();
  const pick = rand(1, 10);
  if (pick <= 4) {
    const res = http.post(`${BASE_URL}/api/posts/like`, JSON.stringify({
      postId: data.ids[rand(0, data.ids.length - 1)], userId: rand(1, 100),
    }), JSON_HEADERS);
    check(res, { 'like 200': (r) => r.status === 200 });
  } else if (pick <= 6) {
    const userId = rand(1, 100);
    const res = http.get(`${BASE_URL}/api/search?userId=${userId}&keyword=${encodeURIComponent(KEYWORDS[userId % 10])}`);
    check(res, { 'search 200': (r) => r.status === 200 });
  } else if (pick <= 8) {
    track('CLICK', 1002);
  } else {
    track('PAGE_VIEW', 1000);
  }
  sleep(Math.max(0, 1 - (Date.now() - started) / 1000));   // one task per second
}
