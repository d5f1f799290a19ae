#!/usr/bin/env bash
# Populates a running Pulse through its HTTP API; this is how pulse-d7db325.sqlite was made (see README.md here).
# Usage: make-pulse-d7db325.sh http://127.0.0.1:PORT
set -euo pipefail
base=${1:?base URL}

post() { # path json: prints the body, fails on a non-2xx status
  curl -sS --fail-with-body -X POST "$base$1" -H 'Content-Type: application/json' -d "$2"; echo
}

# users (one updated later, so created_at and updated_at differ)
post /api/v1/users '{"externalId":"fixture-alice","userAttributes":"{\"email\":\"alice@example.com\"}"}'
post /api/v1/users '{"externalId":"fixture-bob","userAttributes":"{\"email\":\"bob@example.com\",\"tier\":\"gold\"}"}'
post /api/v1/users '{"externalId":"fixture-carol","userAttributes":"{\"email\":\"carol@example.com\"}"}'
sleep 1
post /api/v1/users '{"id":3,"userAttributes":"{\"email\":\"carol@example.org\",\"name\":\"캐롤\"}"}'

# campaigns
post /api/v1/events/campaign '{"name":"fixture-spring-sale","properties":[{"key":"action","value":"buy"},{"key":"amount","value":"0"}]}'
post /api/v1/events/campaign '{"name":"fixture-newsletter","properties":[{"key":"channel","value":"email"}]}'
post /api/v1/events/campaign '{"name":"fixture-unused","properties":[{"key":"x","value":"1"}]}'

# CRM events: linked, linked in another key order, mismatched, unknown campaign, no campaign, unicode, decimals
post /api/v1/events '{"name":"purchase","campaignName":"fixture-spring-sale","externalId":"fixture-alice","properties":[{"key":"action","value":"buy"},{"key":"amount","value":"1000"}]}'
post /api/v1/events '{"name":"purchase","campaignName":"fixture-spring-sale","externalId":"fixture-bob","properties":[{"key":"amount","value":"250"},{"key":"action","value":"buy"}]}'
post /api/v1/events '{"name":"purchase","campaignName":"fixture-spring-sale","externalId":"fixture-carol","properties":[{"key":"action","value":"refund"},{"key":"amount","value":"-30.5"}]}'
post /api/v1/events '{"name":"purchase","campaignName":"fixture-spring-sale","externalId":"fixture-alice","properties":[{"key":"action","value":"buy"},{"key":"amount","value":"70"},{"key":"coupon","value":"SPRING"}]}'
post /api/v1/events '{"name":"open","campaignName":"fixture-newsletter","externalId":"fixture-bob","properties":[{"key":"channel","value":"email"}]}'
post /api/v1/events '{"name":"open","campaignName":"fixture-no-such-campaign","externalId":"fixture-carol","properties":[{"key":"channel","value":"push"}]}'
post /api/v1/events '{"name":"view","externalId":"fixture-carol","properties":[{"key":"page","value":"/home"},{"key":"label","value":"고양이"}]}'
post /api/v1/events/batch '[{"name":"view","externalId":"fixture-alice","properties":[{"key":"page","value":"/cart"}]},{"name":"purchase","campaignName":"fixture-spring-sale","externalId":"fixture-bob","properties":[{"key":"action","value":"buy"},{"key":"amount","value":"99.99"}]}]'

# tracked events (counted per minute): 3 clicks on 1002, 2 page views on 1000, 2 searches for 고양이 on 1001
post /api/events '{"eventType":"click","userId":7,"sessionId":"s-1","metadata":{"componentId":1002,"elementId":"buy-button"}}'
post /api/events '{"eventType":"CLICK","userId":8,"sessionId":"s-2","metadata":{"componentId":1002,"elementId":"buy-button"}}'
post /api/events/batch '[{"eventType":"CLICK","sessionId":"s-3","metadata":{"componentId":1002}},{"eventType":"PAGE_VIEW","sessionId":"s-3","metadata":{"componentId":1000}},{"eventType":"PAGE_VIEW","userId":7,"sessionId":"s-1","metadata":{"componentId":1000}}]'
post /api/events '{"eventType":"SEARCH","userId":7,"sessionId":"s-1","metadata":{"componentId":1001,"keyword":"고양이"}}'
post /api/events '{"eventType":"SEARCH","userId":9,"sessionId":"s-4","metadata":{"componentId":1001,"keyword":"강아지"}}'

# posts, likes (post 1: two likes; post 2: liked, then liked and unliked by another user) and hashtag searches
post /api/posts '{"userId":7,"content":"우리 고양이","hashtags":["고양이","일상"]}'
post /api/posts '{"userId":8,"content":"산책 가는 길","imageUrls":"https://example.com/walk.jpg","hashtags":["일상","강아지"]}'
post /api/posts '{"userId":9,"content":"no tags here","hashtags":[]}'
post /api/posts/like '{"postId":1,"userId":8}'
post /api/posts/like '{"postId":1,"userId":9}'
post /api/posts/like '{"postId":2,"userId":7}'
post /api/posts/like '{"postId":2,"userId":10}'
post /api/posts/like '{"postId":2,"userId":10}'
curl -sS --fail-with-body "$base/api/search?userId=8&keyword=%EA%B3%A0%EC%96%91%EC%9D%B4"; echo   # 고양이
curl -sS --fail-with-body "$base/api/search?userId=9&keyword=%EC%9D%BC%EC%83%81"; echo             # 일상
