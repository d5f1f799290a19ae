"""Seed 004's user-service mix (scenario f): every user runs one task per second.

Weights: like-toggle 4 (userId 1..100, postId among the seeded posts), hashtag search 2 (userId 1..100,
keyword chosen by userId mod 10 among the seed's ten Korean hashtags), click 2 (componentId 1002),
page view 2 (componentId 1000). The post ids come from the file named by BENCH_POST_IDS_FILE (one id per
line, written by the seeder); without it, 1..1000.

    locust -f bench/locust/user_service.py --headless -u 200 -r 20 -t 2m --host http://127.0.0.1:8080

FastHttpUser (geventhttpclient, part of Debian's python3-locust) instead of the requests-based HttpUser: the
load is the same, but Locust's own client costs about a fifth as much CPU per request, so on two shared cores
the latencies it reports are less of its own making (see bench/README.md).
"""
import os
import random
import uuid
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, constant_throughput, task

KEYWORDS = ["고양이", "강아지", "여행", "맛집", "일상", "운동", "독서", "음악", "코딩", "스터디"]


def _post_ids():
    path = os.environ.get("BENCH_POST_IDS_FILE")
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            ids = [int(line) for line in f if line.strip()]
        if ids:
            return ids
    return list(range(1, 1001))


POST_IDS = _post_ids()


def _auth(scope):
    """The API key bench/lib/bench.py made for this scope (BENCH_INGEST_KEY / BENCH_READ_KEY), if any."""
    key = os.environ.get(f"BENCH_{scope.upper()}_KEY")
    return {"Authorization": f"Bearer {key}"} if key else {}


INGEST = _auth("ingest")
READ = _auth("read")


class UserServiceUser(FastHttpUser):
    wait_time = constant_throughput(1)

    def on_start(self):
        # Each user starts at a random point of its first second. Locust starts users in groups, and
        # constant_throughput keeps each user on its start phase, so without this the users fire in lockstep:
        # measured, one burst of all 200 requests at once per second and, against Pulse, p50 9 ms instead of
        # 1 ms, most of it Locust working through its own burst of responses. Real users are not phase-locked.
        gevent.sleep(random.random())

    def _expect(self, response, status):
        if response.status_code != status:
            response.failure(f"status {response.status_code}: {response.text[:200]}")

    def _track(self, event_type, component_id):
        body = {
            "eventType": event_type,
            "userId": random.randint(1, 100),
            "sessionId": f"session-{uuid.uuid4()}",
            "metadata": {"componentId": component_id, "elementId": f"element-{random.randint(1, 50)}"},
        }
        with self.client.post("/api/events", json=body, headers=INGEST, name=f"POST /api/events [{event_type}]",
                              catch_response=True) as r:
            self._expect(r, 201)

    @task(4)
    def like_toggle(self):
        body = {"postId": random.choice(POST_IDS), "userId": random.randint(1, 100)}
        with self.client.post("/api/posts/like", json=body, headers=INGEST, name="POST /api/posts/like",
                              catch_response=True) as r:
            self._expect(r, 200)

    @task(2)
    def hashtag_search(self):
        user_id = random.randint(1, 100)
        keyword = KEYWORDS[user_id % 10]
        query = urlencode({"userId": user_id, "keyword": keyword})
        with self.client.get(f"/api/search?{query}", headers=READ, name="GET /api/search", catch_response=True) as r:
            self._expect(r, 200)

    @task(2)
    def click(self):
        self._track("CLICK", 1002)

    @task(2)
    def page_view(self):
        self._track("PAGE_VIEW", 1000)
