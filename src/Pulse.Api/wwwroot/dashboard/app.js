// Pulse's dashboard: polls the read API every 10 s (docs/dashboard.md says why polling, not Server-Sent Events).
import { getJson, AuthError, ApiError, storedKey, saveKey, forgetKey } from './api.js';
import { minuteChart } from './charts.js';
import { $, el, fillTable, isoFromLocal, number, setText } from './dom.js';
import { initExplorer } from './explorer.js';

const REFRESH_MS = 10_000;
let timer = null;
let running = false;
let ingestChart = null;
let seriesChart = null;
let explore = null;
let explored = false;

function seriesPath() {
  const params = new URLSearchParams({ eventType: $('series-type').value, componentId: $('series-component').value });
  const range = $('series-range').value;
  if (range === 'custom') {
    const from = isoFromLocal($('series-from').value);
    const to = isoFromLocal($('series-to').value);
    if (from) params.set('from', from);
    if (to) params.set('to', to);
  } else {
    params.set('minutes', range);
  }
  return `/api/statistics/series?${params}`;
}

/** Everything the page shows, fetched at once: these six calls are the page's whole load on Pulse per refresh. */
async function refresh() {
  const series = getJson(seriesPath()).then((body) => ({ body }), (error) => ({ error }));
  const [overview, users, campaigns, keywords, posts] = await Promise.all([
    getJson('/api/dashboard/overview'),
    getJson('/api/v1/users/count'),
    getJson('/api/v1/events/campaign?page=0&size=10'),
    getJson('/api/statistics/top-keywords?limit=10'),
    getJson('/api/posts/popular?limit=10'),
  ]);
  renderOverview(overview);
  setText('users-count', number(users.data.totalCount));
  renderCampaigns(campaigns.data.campaigns);
  fillTable($('keywords'), keywords.map((k) => [k.keyword, number(k.count)]), ['text', 'num'], 'No searches in the last hour.');
  fillTable($('posts'), posts.map((p) => [post(p), number(p.likeCount)]), ['text', 'num'], 'No posts yet.');
  renderSeries(await series);
}

function renderOverview(overview) {
  const { ingested, pipeline } = overview;
  setText('crm-5m', number(ingested.crmLast5Minutes));
  setText('tracked-5m', number(ingested.trackedLast5Minutes));
  ingestChart.set(overview.from, ingested.series.map((s) => s.kind), ingested.series.map((s) => s.counts));

  const depth = pipeline.queues.reduce((sum, q) => sum + q.depth, 0);
  setText('queue-depth', number(depth));
  setText('queue-detail', pipeline.queues.map((q) => `${q.name} ${number(q.depth)}`).join(' · '));
  setText('commit-time', pipeline.commits ? `${ms(pipeline.meanCommitMs)} / ${ms(pipeline.maxCommitMs)}` : '–');
  setText('commit-detail', `${number(pipeline.commits)} commit${pipeline.commits === 1 ? '' : 's'}`);
  const rate = pipeline.requests ? (100 * pipeline.unavailable) / pipeline.requests : 0;
  setText('unavailable-rate', `${rate.toFixed(rate > 0 && rate < 1 ? 2 : 1)} %`);
  $('unavailable-rate').classList.toggle('bad', pipeline.unavailable > 0);
  setText('unavailable-detail', `${number(pipeline.unavailable)} of ${number(pipeline.requests)} requests`);
  $('dependencies').replaceChildren(...pipeline.dependencies.map((d) =>
    el('li', `${d.name} ${d.up ? 'up' : 'down'}`, d.up ? 'up' : 'down')));
  setText('dependencies-detail', pipeline.checkedAt
    ? `checked ${new Date(pipeline.checkedAt).toLocaleTimeString()}`
    : 'first check within a few seconds');
}

function renderCampaigns(page) {
  setText('campaigns-count', number(page.totalElements));
  fillTable($('campaigns'), page.content.map((c) => [c.name, number(c.linkedEventCount)]), ['text', 'num'], 'No campaigns yet.');
}

function renderSeries({ body, error }) {
  $('series-error').hidden = !error;
  if (error) {
    if (error instanceof AuthError) throw error;
    $('series-error').textContent = error instanceof ApiError ? error.message : String(error);
    return;
  }
  const total = body.counts.reduce((a, b) => a + b, 0);
  setText('series-total', `${number(total)} in ${number(body.counts.length)} minutes`);
  seriesChart.set(body.from, [`${body.eventType} · component ${body.componentId}`], [body.counts]);
}

function post(p) {
  const box = el('div');
  box.append(el('div', p.content));
  if (p.hashtags && p.hashtags.length) {
    box.append(el('div', p.hashtags.map((t) => `#${t}`).join(' '), 'tags'));
  }
  return box;
}

const ms = (v) => (v == null ? '–' : `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`);

function setStatus(kind, text) {
  const status = $('status');
  status.className = `status ${kind}`;
  status.textContent = text;
}

/** One refresh, then the next in 10 s; a hidden tab stops polling until it is shown again. */
async function tick() {
  clearTimeout(timer);
  timer = null;
  if (running) return;
  running = true;
  try {
    await refresh();
    showContent();
    if (!explored) {
      explored = true;
      explore();
    }
    setStatus('live', `Live · updated ${new Date().toLocaleTimeString()}`);
  } catch (error) {
    if (error instanceof AuthError) {
      askForKey(error);
      return;
    }
    setStatus('stale', `Update failed (${error.message}); retrying`);
  } finally {
    running = false;
  }
  if (!document.hidden) {
    timer = setTimeout(tick, REFRESH_MS);
  }
}

function askForKey(error) {
  clearTimeout(timer);
  timer = null;
  $('content').hidden = true;
  $('key-panel').hidden = false;
  $('forget-key').hidden = true;
  const message = $('key-error');
  if (error.hadKey) {
    forgetKey();
    message.textContent = error.status === 403
      ? `This key was refused: it lacks the read scope. ${error.message}`
      : `This key was refused (unknown, revoked or expired). ${error.message}`;
    message.hidden = false;
  } else {
    message.hidden = true;
  }
  setStatus('stale', 'Waiting for a read key');
  $('key-input').focus();
}

function showContent() {
  $('key-panel').hidden = true;
  $('content').hidden = false;
  $('forget-key').hidden = !storedKey();
}

function onAuthError(error) {
  if (error instanceof AuthError) askForKey(error);
}

document.addEventListener('DOMContentLoaded', () => {
  ingestChart = minuteChart($('ingest-chart'));
  seriesChart = minuteChart($('series-chart'));
  explore = initExplorer(onAuthError);

  $('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const key = $('key-input').value.trim();
    if (!key) return;
    saveKey(key);
    $('key-input').value = '';
    $('key-error').hidden = true;
    tick();
  });
  $('forget-key').addEventListener('click', () => {
    forgetKey();
    window.location.reload();
  });
  $('series-range').addEventListener('change', () => {
    const custom = $('series-range').value === 'custom';
    document.querySelectorAll('.custom-range').forEach((label) => { label.hidden = !custom; });
    if (!custom) tick();
  });
  $('series-type').addEventListener('change', () => tick());
  $('series-form').addEventListener('submit', (event) => {
    event.preventDefault();
    tick();
  });
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && timer === null && !running) tick();
  });
  tick();
});
