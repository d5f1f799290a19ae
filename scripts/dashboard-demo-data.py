#!/usr/bin/env python3
"""Demo data for the dashboard screenshot (scripts/screenshot-dashboard.sh): users, campaigns, CRM events and SDK messages
spread over the last hour (SDK messages carry their own time), posts, likes, searches and tracked events (stamped now).
Usage: dashboard-demo-data.py BASE_URL [KEY]"""
import datetime
import json
import random
import sys
import urllib.parse
import urllib.request

base = sys.argv[1]
key = sys.argv[2] if len(sys.argv) > 2 else None
def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json"})
    if key: req.add_header("Authorization", "Bearer " + key)
    with urllib.request.urlopen(req) as r: return json.loads(r.read() or b"null")
rnd = random.Random(7)
for i in range(1, 13):
    call("POST", "/api/v1/users", {"externalId": f"user-{i}", "userAttributes": json.dumps({"email": f"user{i}@example.com"})})
camps = [("봄 세일 🌸", ["action", "amount"]), ("newsletter-december", ["action", "channel"]), ("retargeting", ["action", "sku"])]
for name, keys in camps:
    call("POST", "/api/v1/events/campaign", {"name": name, "properties": [{"key": k, "value": "x"} for k in keys]})
# SDK messages backdated over the last hour give the CRM chart a history
now = datetime.datetime.now(datetime.timezone.utc)
batch = []
for i in range(600):
    t = now - datetime.timedelta(seconds=rnd.randint(0, 3500))
    batch.append({"type": "track", "event": rnd.choice(["purchase", "view_item", "add_to_cart"]), "userId": f"user-{rnd.randint(1,12)}",
                  "messageId": f"seed-{i}-{rnd.random()}", "timestamp": t.isoformat().replace("+00:00", "Z"),
                  "properties": {"action": rnd.choice(["buy", "view"]), "amount": rnd.randint(1, 500), "item": rnd.choice(["우산 ☂️", "커피 ☕", "book"])}})
for j in range(0, len(batch), 100):
    req = urllib.request.Request(base + "/v1/batch", data=json.dumps({"batch": batch[j:j+100], "sentAt": now.isoformat().replace("+00:00", "Z")}).encode(), method="POST", headers={"Content-Type": "application/json"})
    if key: req.add_header("Authorization", "Bearer " + key)
    urllib.request.urlopen(req).read()
for i in range(40):
    name, keys = camps[i % 3]
    call("POST", "/api/v1/events", {"name": "purchase", "campaignName": name, "externalId": f"user-{rnd.randint(1,12)}",
                                    "properties": [{"key": k, "value": rnd.choice(["buy", "email", "sku-1", "1000"])} for k in keys]})
posts = [("우리 고양이 낮잠 중 🐱", ["고양이", "일상"]), ("Sunset at Haeundae 🌅", ["부산", "travel"]), ("새 커피 머신 ☕", ["커피"]), ("Release day 🚀", ["pulse"])]
ids = [call("POST", "/api/posts", {"userId": 1, "content": c, "hashtags": h})["postId"] for c, h in posts]
for pid, likes in zip(ids, [9, 6, 4, 2]):
    for u in range(likes):
        call("POST", "/api/posts/like", {"postId": pid, "userId": 100 + u})
for kw, n in [("고양이", 7), ("커피", 5), ("travel", 3), ("부산", 2)]:
    for u in range(n):
        urllib.request.urlopen(urllib.request.Request(base + "/api/search?userId=%d&keyword=%s" % (u + 1, urllib.parse.quote(kw)), headers={"Authorization": "Bearer " + key} if key else {})).read()
tracked = [{"eventType": rnd.choice(["PAGE_VIEW", "PAGE_VIEW", "CLICK"]), "sessionId": f"s-{rnd.randint(1,30)}", "metadata": {"componentId": rnd.choice([1000, 1002])}} for _ in range(300)]
call("POST", "/api/events/batch", tracked)
print("seeded")
