// Drives one real SDK against a running Pulse: `node send.cjs <segment|posthog|rudderstack> <baseUrl> <key> <run> <count>`.
// Sends <count> identify and <count> track/capture messages (nested properties; every 10th backdated by days) for
// 20 users named <run>-u0..u19, flushes, and prints one JSON line: {"sent": [{seq, user, timestamp}], "errors": [...]}.
// The C# test (tests/Pulse.Api.Tests/Sdk/RealSdkTests.cs) checks through Pulse's search API what was stored.
'use strict'
const [sdk, baseUrl, key, run, countText] = process.argv.slice(2)
const count = Number(countText)
const errors = []
const sent = []
const day = 24 * 60 * 60 * 1000

function plan(i) {
  const now = Date.now()
  const backdated = i % 10 === 0
  const timestamp = new Date(backdated ? now - ((i % 7) + 1) * day - i * 1000 : now)
  const user = `${run}-u${i % 20}`
  const properties = { seq: i, run, cart: { items: i % 5, sku: `sku-${i}`, price: { amount: i + 0.5, currency: 'EUR' } }, gift: i % 2 === 0, tags: ['a', String(i)] }
  sent.push({ seq: i, user, timestamp: timestamp.toISOString(), backdated })
  return { user, timestamp, properties, traits: { run, plan: i % 3 === 0 ? 'pro' : 'free', seq: i } }
}

async function segmentLike(client, close, callbacks) {
  const delivered = []
  // RudderStack calls each message's callback once its request succeeded or finally failed; Segment has none.
  const callback = () => {
    if (!callbacks) return undefined
    let settle
    delivered.push(new Promise((resolve) => { settle = resolve }))
    return (err) => { if (err) errors.push(String(err.message || err)); settle() }
  }
  for (let i = 0; i < count; i++) {
    const p = plan(i)
    client.identify({ userId: p.user, traits: p.traits, timestamp: p.timestamp }, callback())
    client.track({ userId: p.user, event: `${run}-event`, properties: p.properties, timestamp: p.timestamp }, callback())
  }
  await close()
  await Promise.all(delivered)
}

async function main() {
  if (sdk === 'segment') {
    const { Analytics } = require('@segment/analytics-node')
    const analytics = new Analytics({ writeKey: key, host: baseUrl, flushAt: 50, flushInterval: 200, maxRetries: 5, httpRequestTimeout: 20000 })
    analytics.on('error', (e) => errors.push(String(e && (e.reason || e.message || e))))
    await segmentLike(analytics, () => analytics.closeAndFlush({ timeout: 60000 }))
  } else if (sdk === 'rudderstack') {
    const Analytics = require('@rudderstack/rudder-sdk-node')
    const client = new Analytics(key, { dataPlaneUrl: baseUrl, flushAt: 50, flushInterval: 200, retryCount: 5, logLevel: process.env.SDK_LOG || 'error',
      errorHandler: (e) => errors.push(String(e && (e.message || e))) })
    // flush() sends at most flushAt messages and may answer for an earlier request, and several requests may be in
    // flight (retrying) at once: flush until nothing is queued, then wait for every message's own callback.
    const drain = async () => {
      for (let i = 0; i < 10000 && (client.queue.length > 0 || client.pendingFlush); i++) {
        await new Promise((resolve) => client.flush(() => resolve()))
        const pending = client.pendingFlush
        if (pending) {
          await pending.catch(() => {})
          if (client.pendingFlush === pending) client.pendingFlush = null
        }
      }
    }
    await segmentLike(client, drain, true)
  } else if (sdk === 'posthog') {
    const { PostHog } = require('posthog-node')
    const client = new PostHog(key, { host: baseUrl, flushAt: 50, flushInterval: 200, fetchRetryCount: 5, fetchRetryDelay: 500, requestTimeout: 20000 })
    client.on('error', (e) => errors.push(String(e && (e.message || e))))
    for (let i = 0; i < count; i++) {
      const p = plan(i)
      client.identify({ distinctId: p.user, properties: { $set: p.traits } })
      client.capture({ distinctId: p.user, event: `${run}-event`, properties: p.properties, timestamp: p.timestamp })
    }
    await client.shutdown(60000)
  } else {
    throw new Error(`unknown sdk ${sdk}`)
  }
}

main().then(
  () => { process.stdout.write(JSON.stringify({ sent, errors }) + '\n'); process.exit(0) },
  (e) => { process.stdout.write(JSON.stringify({ sent, errors: [...errors, String(e && e.stack || e)] }) + '\n'); process.exit(1) })
