"""Seed 004's Locust test (scenario e): each user POSTs /api/events every 0.5-1.0 s.

A random type among CLICK, PAGE_VIEW, SEARCH, LIKE; sessionId "session-<uuid>", userId 1..100,
metadata componentId 1000..2000 and elementId "element-1..50"; SEARCH uses componentId 200 and
keyword "keyword-1..10"; LIKE uses componentId 100 and postId 1..10.

    locust -f bench/locust/tracker_events.py --headless -u 500 -r 10 -t 2m --host http://127.0.0.1:8080

FastHttpUser, as in user_service.py: same load, a cheaper client.
"""
import os
import random
import uuid

from locust import FastHttpUser, between, task

EVENT_TYPES = ["CLICK", "PAGE_VIEW", "SEARCH", "LIKE"]
# The ingest key bench/lib/bench.py made (issue 13); none when the run is open (BENCH_AUTH=open).
INGEST = {"Authorization": f"Bearer {os.environ['BENCH_INGEST_KEY']}"} if os.environ.get("BENCH_INGEST_KEY") else {}


class TrackerUser(FastHttpUser):
    wait_time = between(0.5, 1.0)

    @task
    def track_event(self):
        event_type = random.choice(EVENT_TYPES)
        metadata = {"componentId": random.randint(1000, 2000), "elementId": f"element-{random.randint(1, 50)}"}
        if event_type == "SEARCH":
            metadata["componentId"] = 200
            metadata["keyword"] = f"keyword-{random.randint(1, 10)}"
        elif event_type == "LIKE":
            metadata["componentId"] = 100
            metadata["postId"] = random.randint(1, 10)
        body = {
            "eventType": event_type,
            "userId": random.randint(1, 100),
            "sessionId": f"session-{uuid.uuid4()}",
            "metadata": metadata,
        }
        with self.client.post("/api/events", json=body, headers=INGEST, name="POST /api/events",
                              catch_response=True) as response:
            if response.status_code != 201:
                response.failure(f"status {response.status_code}: {response.text[:200]}")
