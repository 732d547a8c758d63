// The dashboard: a client token pasted once (session storage only), then the client's sensors with their live
// status, a sensor's readings chart and status-change timeline, active silences and each webhook's health.
// Everything is built with DOM calls and textContent, never innerHTML: names, comments and URLs are client data.
import { Api, ApiError, Unauthorized, path } from './api.js';
import { EventStream } from './sse.js';
import { renderChart, thresholdLabels } from './chart.js';

const TOKEN_KEY = 'sensorhub.dashboard.token';
const REFRESH_MS = 60000;

// What a status looks like: a colour (CSS class), and a shape and a word, so colour is never the only signal.
const STATUS_ICONS = {
  OK: '●', WARNING: '▲', CRITICAL: '◆', FAULT: '✖', OFFLINE: '○', UNKNOWN: '?',
};

const RANGES = {
  hour: { label: 'Last hour', seconds: 3600, interval: '1m', intervalSeconds: 60, per: 'minute' },
  day: { label: 'Last day', seconds: 86400, interval: '15m', intervalSeconds: 900, per: '15 minutes' },
  week: { label: 'Last week', seconds: 604800, interval: '1h', intervalSeconds: 3600, per: 'hour' },
};

const state = {
  api: null,
  stream: null,
  sensors: new Map(),
  view: null, // {name: 'overview'} or {name: 'sensor', id, range, chart}
  refreshTimer: null,
  connectedBefore: false,
};

const $ = (id) => document.getElementById(id);

/** document.createElement with attributes (on* never), then children: nodes or text. */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === 'class') {
      element.className = value;
    }
    else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) {
      element.append(child instanceof Node ? child : String(child));
    }
  }
  return element;
}

function badge(status) {
  const known = Object.hasOwn(STATUS_ICONS, status) ? status : 'UNKNOWN';
  return h('span', { class: `badge status-${known}` }, h('span', { class: 'icon', 'aria-hidden': 'true' },
    STATUS_ICONS[known]), h('span', { class: 'label' }, status ?? 'UNKNOWN'));
}

function time(iso, { withDate = true } = {}) {
  if (!iso) {
    return '–';
  }
  const date = new Date(iso);
  const today = new Date().toDateString() === date.toDateString();
  const text = (today || !withDate) ? date.toLocaleTimeString() : date.toLocaleString();
  return h('time', { datetime: date.toISOString(), title: date.toISOString() }, text);
}

function number(value, unit) {
  if (value === null || value === undefined) {
    return '–';
  }
  return `${Number(value).toLocaleString(undefined, { maximumFractionDigits: 2 })}${unit ? ` ${unit}` : ''}`;
}

function announce(text) {
  const announcer = $('announcer');
  const line = h('p', {}, text);
  announcer.append(line);
  // a polite region that grows for ever is read out again by some screen readers: keep the last few
  while (announcer.childElementCount > 5) {
    announcer.firstElementChild.remove();
  }
}

function showProblem(error) {
  const banner = $('problem');
  if (!error) {
    banner.hidden = true;
    banner.textContent = '';
    return;
  }
  const status = error instanceof ApiError && error.status ? ` (HTTP ${error.status})` : '';
  banner.textContent = `${error.problem?.title || 'Something went wrong'}${status}: ${error.message}`;
  banner.hidden = false;
}

/** Runs a load; a refused token ends the session, any other failure is shown. */
async function guarded(load) {
  try {
    await load();
    showProblem(null);
  }
  catch (error) {
    if (error.name === 'AbortError') {
      return;
    }
    if (error instanceof Unauthorized) {
      logOut('The token is no longer accepted: paste a valid client token.');
      return;
    }
    console.error(error);
    showProblem(error);
  }
}

// ---- the token --------------------------------------------------------------------------------------------

function showLogin(message = '') {
  $('view').hidden = true;
  $('view').replaceChildren();
  $('logout').hidden = true;
  $('connection').hidden = true;
  $('login').hidden = false;
  $('token-error').textContent = message;
  $('token').value = '';
  $('token').focus();
}

async function logIn(event) {
  event.preventDefault();
  const token = $('token').value.trim();
  $('token-error').textContent = '';
  if (!token) {
    $('token-error').textContent = 'Paste a client token first.';
    return;
  }
  const api = new Api(token);
  try {
    await api.get('sensors', { limit: 1 });
  }
  catch (error) {
    if (error instanceof Unauthorized) {
      $('token-error').textContent = 'That token was not accepted.';
    }
    else if (error instanceof ApiError && error.status === 403) {
      $('token-error').textContent = 'That is the admin token: the dashboard needs a client token.';
    }
    else {
      $('token-error').textContent = `SensorHub could not check the token: ${error.message}`;
    }
    $('token').focus();
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  start(token);
}

function logOut(message = '') {
  sessionStorage.removeItem(TOKEN_KEY);
  state.stream?.close();
  state.stream = null;
  state.api = null;
  state.sensors.clear();
  state.view?.chart?.destroy();
  state.view = null;
  state.connectedBefore = false;
  clearInterval(state.refreshTimer);
  showProblem(null);
  showLogin(message);
}

function start(token) {
  state.api = new Api(token);
  $('login').hidden = true;
  $('token').value = '';
  $('view').hidden = false;
  $('logout').hidden = false;
  $('connection').hidden = false;
  state.stream = new EventStream({
    url: 'api/v1/events/stream',
    token,
    onEvent: onStreamEvent,
    onState: onStreamState,
    onUnauthorized: () => logOut('The token is no longer accepted: paste a valid client token.'),
  }).start();
  clearInterval(state.refreshTimer);
  state.refreshTimer = setInterval(() => {
    if (document.visibilityState === 'visible') {
      refresh();
    }
  }, REFRESH_MS);
  route();
}

// ---- the live stream --------------------------------------------------------------------------------------

function onStreamState(streamState, delay) {
  const connection = $('connection');
  connection.dataset.state = streamState;
  if (streamState === 'live') {
    connection.textContent = 'Live';
    // Whatever the stream could not replay after a gap, a fresh read has.
    if (state.connectedBefore) {
      refresh();
    }
    state.connectedBefore = true;
  }
  else if (streamState === 'retrying') {
    connection.textContent = `Reconnecting in ${Math.ceil(delay / 1000)} s`;
  }
  else {
    connection.textContent = 'Connecting…';
  }
}

function onStreamEvent(event) {
  let body;
  try {
    body = JSON.parse(event.data);
  }
  catch {
    body = null;
  }
  // the SSE event type; stream.reset and stream.overflow carry a problem, whose own "type" is a URI
  const type = event.type !== 'message' ? event.type : (body?.type ?? '');
  if (type === 'sensor.status_changed' && body?.data) {
    statusChanged(body.data, body.silenced === true);
  }
  else if (type.startsWith('webhook.') && body?.data) {
    webhookEvent(type, body.data);
  }
  else if (type.startsWith('stream.')) {
    // the server could not give every event since the last one seen: read everything again
    refresh();
  }
}

function statusChanged(change, silenced) {
  const sensor = state.sensors.get(change.sensorId);
  if (!sensor) {
    refresh(); // a sensor created since the list was read
    return;
  }
  if (sensor.state && change.sequence <= sensor.state.sequence) {
    return; // already shown (a replay after reconnecting)
  }
  sensor.state = {
    ...sensor.state, status: change.status, value: change.value, reportedAt: change.reportedAt,
    since: change.changedAt, sequence: change.sequence, pending: null, acknowledged: null,
  };
  announce(`${sensor.name}: ${change.previousStatus} → ${change.status}${silenced ? ' (silenced)' : ''}`);
  updateSensorRow(sensor);
  updateSummary();
  if (state.view?.name === 'sensor' && state.view.id === sensor.id) {
    renderSensorHeader(sensor);
    prependTimeline(change);
    guarded(loadChart);
  }
}

function webhookEvent(type, data) {
  const what = { 'webhook.failing': 'is failing', 'webhook.disabled': 'was disabled', 'webhook.recovered':
    'recovered' }[type];
  if (what) {
    announce(`Webhook ${data.url ?? data.webhookId} ${what}`);
  }
  if (state.view?.name === 'overview') {
    guarded(loadWebhooks);
  }
}

function refresh() {
  if (!state.api) {
    return;
  }
  if (state.view?.name === 'sensor') {
    guarded(async () => {
      await loadSensors();
      const sensor = state.sensors.get(state.view.id);
      if (sensor) {
        renderSensorHeader(sensor);
      }
      await Promise.all([loadChart(), loadTimeline()]);
    });
  }
  else {
    guarded(() => Promise.all([loadSensors().then(renderSensorTable), loadSilences(), loadWebhooks()]));
  }
}

// ---- routing ----------------------------------------------------------------------------------------------

function route() {
  if (!state.api) {
    return;
  }
  state.view?.chart?.destroy();
  const match = /^#\/sensors\/(.+)$/.exec(location.hash);
  if (match) {
    showSensor(decodeURIComponent(match[1]));
  }
  else {
    showOverview();
  }
}

function focusHeading() {
  const heading = $('view').querySelector('h1');
  heading?.focus({ preventScroll: false });
}

// ---- the overview: sensors, active silences, webhooks -----------------------------------------------------

function showOverview() {
  state.view = { name: 'overview' };
  document.title = 'Sensors · SensorHub';
  $('view').replaceChildren(
    h('section', { 'aria-labelledby': 'sensors-title' },
      h('h1', { id: 'sensors-title', tabindex: '-1' }, 'Sensors'),
      h('p', { id: 'summary', class: 'summary' }, 'Loading…'),
      h('div', { id: 'sensor-table', class: 'table-wrap' })),
    h('div', { class: 'columns' },
      h('section', { 'aria-labelledby': 'silences-title' },
        h('h2', { id: 'silences-title' }, 'Active silences'),
        h('div', { id: 'silences' }, h('p', {}, 'Loading…'))),
      h('section', { 'aria-labelledby': 'webhooks-title' },
        h('h2', { id: 'webhooks-title' }, 'Webhooks'),
        h('div', { id: 'webhooks' }, h('p', {}, 'Loading…')))));
  focusHeading();
  guarded(() => Promise.all([loadSensors().then(renderSensorTable), loadSilences(), loadWebhooks()]));
}

async function loadSensors() {
  const sensors = await state.api.all('sensors');
  state.sensors = new Map(sensors.map((sensor) => [sensor.id, sensor]));
}

function renderSensorTable() {
  const container = $('sensor-table');
  if (!container) {
    return;
  }
  updateSummary();
  if (state.sensors.size === 0) {
    container.replaceChildren(h('p', {}, 'This client has no sensors yet.'));
    return;
  }
  const rows = [...state.sensors.values()].map(sensorRow);
  container.replaceChildren(h('table', { class: 'sensors' },
    h('caption', { class: 'visually-hidden' }, 'Sensors with their current status; updated live'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Sensor'), h('th', { scope: 'col' }, 'Status'),
      h('th', { scope: 'col' }, 'Value'), h('th', { scope: 'col' }, 'Since'))),
    h('tbody', {}, rows)));
}

function sensorRow(sensor) {
  const row = h('tr', { 'data-sensor-id': sensor.id });
  fillSensorRow(row, sensor);
  return row;
}

function fillSensorRow(row, sensor) {
  const status = sensor.state?.status ?? 'UNKNOWN';
  row.className = `status-row-${status}`;
  row.replaceChildren(
    h('th', { scope: 'row', 'data-label': 'Sensor' },
      h('a', { href: `#/sensors/${encodeURIComponent(sensor.id)}` }, sensor.name),
      sensor.name !== sensor.id ? h('span', { class: 'id' }, sensor.id) : null),
    h('td', { class: 'status', 'data-label': 'Status', 'data-status': status }, badge(status),
      sensor.state?.pending ? h('span', { class: 'pending' }, `→ ${sensor.state.pending.status} pending`) : null,
      sensor.state?.acknowledged ? h('span', { class: 'acknowledged' }, 'acknowledged') : null),
    h('td', { 'data-label': 'Value' }, number(sensor.state?.value, sensor.unit)),
    h('td', { 'data-label': 'Since' }, time(sensor.state?.since)));
}

function updateSensorRow(sensor) {
  const row = document.querySelector(`tr[data-sensor-id="${CSS.escape(sensor.id)}"]`);
  if (row) {
    fillSensorRow(row, sensor);
    row.classList.add('changed');
  }
}

function updateSummary() {
  const summary = $('summary');
  if (!summary) {
    return;
  }
  const counts = {};
  for (const sensor of state.sensors.values()) {
    const status = sensor.state?.status ?? 'UNKNOWN';
    counts[status] = (counts[status] ?? 0) + 1;
  }
  const order = ['CRITICAL', 'FAULT', 'OFFLINE', 'WARNING', 'UNKNOWN', 'OK'];
  const parts = order.filter((status) => counts[status]).map((status) => `${counts[status]} ${status}`);
  summary.textContent = `${state.sensors.size} sensor${state.sensors.size === 1 ? '' : 's'}`
    + (parts.length ? `: ${parts.join(', ')}` : '');
}

async function loadSilences() {
  const silences = (await state.api.all('silences')).filter((silence) => silence.active);
  const container = $('silences');
  if (!container) {
    return;
  }
  if (silences.length === 0) {
    container.replaceChildren(h('p', {}, 'No silence is active: every status change is sent.'));
    return;
  }
  container.replaceChildren(h('ul', { class: 'cards' }, silences.map((silence) => h('li', { class: 'card' },
    h('p', { class: 'card-title' }, silence.comment || 'Silence'),
    h('dl', {},
      h('dt', {}, 'Sensors'), h('dd', {}, silence.sensorIds?.length ? silence.sensorIds.join(', ') : 'all'),
      h('dt', {}, 'Statuses'), h('dd', {}, silence.statuses?.length ? silence.statuses.join(', ') : 'all'),
      h('dt', {}, 'Until'), h('dd', {}, silence.endsAt ? time(silence.endsAt)
        : `recurring: ${silence.schedule.weekdays.join(' ')} ${silence.schedule.start}–${silence.schedule.end} `
          + `(${silence.schedule.timezone})`))))));
}

async function loadWebhooks() {
  const webhooks = await state.api.all('webhooks');
  const stats = await Promise.all(webhooks.map((webhook) => state.api.get(path('webhooks', webhook.id, 'stats'))
    .catch((error) => (error instanceof Unauthorized ? Promise.reject(error) : { error }))));
  const container = $('webhooks');
  if (!container) {
    return;
  }
  if (webhooks.length === 0) {
    container.replaceChildren(h('p', {}, 'This client has no webhooks.'));
    return;
  }
  container.replaceChildren(h('ul', { class: 'cards' }, webhooks.map((webhook, i) => webhookCard(webhook,
    stats[i]))));
}

/** A webhook's health in a word and a shape, judged from its stats. */
function health(webhook, stats) {
  if (!webhook.enabled) {
    return { key: 'disabled', icon: '■', label: 'Disabled' };
  }
  if (stats.error) {
    return { key: 'unknown', icon: '?', label: 'Stats unavailable' };
  }
  const failingNow = stats.lastFailureAt && (!stats.lastSuccessAt || stats.lastFailureAt > stats.lastSuccessAt);
  if (failingNow || stats.dead > 0) {
    return { key: 'failing', icon: '◆', label: failingNow ? 'Failing' : 'Dead deliveries' };
  }
  if (stats.failedLastHour > 0) {
    return { key: 'degraded', icon: '▲', label: 'Some failures' };
  }
  if (stats.succeededLastHour === 0) {
    return { key: 'idle', icon: '○', label: 'Idle (no attempt in the last hour)' };
  }
  return { key: 'healthy', icon: '●', label: 'Healthy' };
}

function webhookCard(webhook, stats) {
  const judged = health(webhook, stats);
  const details = stats.error ? [h('dt', {}, 'Stats'), h('dd', {}, stats.error.message)] : [
    h('dt', {}, 'Last hour'), h('dd', {}, `${stats.succeededLastHour} succeeded, ${stats.failedLastHour} failed`),
    h('dt', {}, 'Latency'), h('dd', {}, stats.latencyMs ? `p50 ${stats.latencyMs.p50} ms, p99 ${stats.latencyMs.p99} ms`
      : '–'),
    h('dt', {}, 'Pending / dead'), h('dd', {}, `${stats.pending} / ${stats.dead}`),
    h('dt', {}, 'Last success'), h('dd', {}, time(stats.lastSuccessAt)),
    h('dt', {}, 'Last failure'), h('dd', {}, time(stats.lastFailureAt),
      stats.lastError ? h('span', { class: 'error-text' }, ` ${stats.lastError}`) : null),
  ];
  return h('li', { class: 'card', 'data-webhook-id': webhook.id },
    h('p', { class: 'card-title' }, h('span', { class: 'url' }, webhook.url)),
    webhook.description ? h('p', { class: 'description' }, webhook.description) : null,
    h('p', {}, h('span', { class: `badge health-${judged.key}` }, h('span', { class: 'icon', 'aria-hidden': 'true' },
      judged.icon), h('span', { class: 'label' }, judged.label))),
    webhook.disabledReason ? h('p', { class: 'error-text' }, webhook.disabledReason) : null,
    h('dl', {}, details));
}

// ---- a sensor: its state, chart and timeline --------------------------------------------------------------

function showSensor(id) {
  const range = state.view?.name === 'sensor' && state.view.id === id ? state.view.range : 'hour';
  state.view = { name: 'sensor', id, range, chart: null };
  document.title = `${id} · SensorHub`;
  $('view').replaceChildren(
    h('p', {}, h('a', { href: '#/' }, '← All sensors')),
    h('div', { id: 'sensor-header' }, h('h1', { tabindex: '-1' }, id)),
    h('section', { 'aria-labelledby': 'readings-title' },
      h('h2', { id: 'readings-title' }, 'Readings'),
      h('div', { class: 'ranges', role: 'group', 'aria-label': 'Period' },
        Object.entries(RANGES).map(([key, r]) => h('button', {
          type: 'button', 'data-range': key, 'aria-pressed': String(key === range), class: 'secondary',
        }, r.label))),
      h('figure', { class: 'chart-figure' },
        h('div', { id: 'chart', class: 'chart' }),
        h('figcaption', { id: 'chart-caption' })),
      h('details', { class: 'chart-table' }, h('summary', {}, 'Readings as a table'),
        h('div', { id: 'chart-table', class: 'table-wrap' }))),
    h('section', { 'aria-labelledby': 'timeline-title' },
      h('h2', { id: 'timeline-title' }, 'Status changes'),
      h('ol', { id: 'timeline', class: 'timeline', reversed: true }, h('li', {}, 'Loading…'))));
  for (const button of $('view').querySelectorAll('button[data-range]')) {
    button.addEventListener('click', () => selectRange(button.dataset.range));
  }
  focusHeading();
  guarded(async () => {
    let sensor;
    try {
      sensor = await state.api.get(path('sensors', id));
    }
    catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        $('sensor-header').replaceChildren(h('h1', { tabindex: '-1' }, 'No such sensor'),
          h('p', {}, `This client has no sensor "${id}".`));
        $('view').querySelectorAll('section').forEach((section) => section.remove());
        return;
      }
      throw error;
    }
    state.sensors.set(sensor.id, sensor);
    renderSensorHeader(sensor);
    await Promise.all([loadChart(), loadTimeline()]);
  });
}

function renderSensorHeader(sensor) {
  const header = $('sensor-header');
  if (!header) {
    return;
  }
  const hadFocus = header.contains(document.activeElement);
  document.title = `${sensor.name} · SensorHub`;
  const s = sensor.state ?? {};
  const thresholds = thresholdLabels(sensor.thresholds);
  header.replaceChildren(
    h('h1', { tabindex: '-1' }, sensor.name, ' ', badge(s.status)),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Id'), h('dd', {}, sensor.id),
      sensor.type ? [h('dt', {}, 'Type'), h('dd', {}, sensor.type)] : null,
      h('dt', {}, 'Value'), h('dd', {}, number(s.value, sensor.unit), s.reportedAt ? [' at ', time(s.reportedAt)] : null),
      h('dt', {}, 'Status since'), h('dd', {}, time(s.since)),
      s.pending ? [h('dt', {}, 'Pending'), h('dd', {}, `${s.pending.status} since `, time(s.pending.since))] : null,
      s.acknowledged ? [h('dt', {}, 'Acknowledged'), h('dd', {}, time(s.acknowledged.at),
        s.acknowledged.comment ? ` (${s.acknowledged.comment})` : '')] : null,
      h('dt', {}, 'Thresholds'), h('dd', {}, thresholds.length ? thresholds.join(', ') : 'none'),
      h('dt', {}, 'Heartbeat'), h('dd', {}, `${sensor.heartbeatSeconds} s`)));
  if (hadFocus) {
    focusHeading();
  }
}

function selectRange(range) {
  if (state.view?.name !== 'sensor') {
    return;
  }
  state.view.range = range;
  for (const button of $('view').querySelectorAll('button[data-range]')) {
    button.setAttribute('aria-pressed', String(button.dataset.range === range));
  }
  guarded(() => Promise.all([loadChart(), loadTimeline()]));
}

function period() {
  const range = RANGES[state.view.range];
  const to = new Date();
  const from = new Date(to.getTime() - range.seconds * 1000);
  return { range, from, to };
}

async function loadChart() {
  const view = state.view;
  if (view?.name !== 'sensor') {
    return;
  }
  const { range, from, to } = period();
  const body = await state.api.get(path('sensors', view.id, 'readings', 'aggregate'),
    { from: from.toISOString(), to: to.toISOString(), interval: range.interval });
  const sensor = state.sensors.get(view.id);
  if (state.view !== view || !$('chart')) {
    return;
  }
  view.chart?.destroy();
  view.chart = null;
  const container = $('chart');
  container.replaceChildren();
  const buckets = body.items;
  const unit = sensor?.unit;
  $('chart-caption').textContent = buckets.length === 0
    ? `No readings in the ${range.label.toLowerCase()}.`
    : `${range.label}: minimum, average (thick line) and maximum per ${range.per}`
      + `${unit ? ` in ${unit}` : ''}; dashed lines are the thresholds.`;
  if (buckets.length > 0) {
    view.chart = renderChart(container, {
      buckets, intervalSeconds: range.intervalSeconds, thresholds: sensor?.thresholds, unit, from, to,
    });
  }
  $('chart-table').replaceChildren(buckets.length === 0 ? h('p', {}, 'No readings.') : h('table', {},
    h('thead', {}, h('tr', {}, ['Start', 'Readings', 'Min', 'Avg', 'Max'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, [...buckets].reverse().map((b) => h('tr', {}, h('td', {}, time(b.start)), h('td', {}, b.count),
      h('td', {}, number(b.min)), h('td', {}, number(b.avg)), h('td', {}, number(b.max)))))));
}

async function loadTimeline() {
  const view = state.view;
  if (view?.name !== 'sensor') {
    return;
  }
  const { from } = period();
  const body = await state.api.get(path('sensors', view.id, 'status-changes'),
    { from: from.toISOString(), limit: 100 });
  const list = $('timeline');
  if (state.view !== view || !list) {
    return;
  }
  list.replaceChildren(...body.items.map(timelineEntry));
  if (body.items.length === 0) {
    list.replaceChildren(h('li', { class: 'empty' }, `No status change in the ${RANGES[view.range].label.toLowerCase()}.`));
  }
}

function timelineEntry(change) {
  return h('li', { 'data-sequence': change.sequence },
    time(change.changedAt), ' ', badge(change.previousStatus), h('span', { 'aria-hidden': 'true' }, ' → '),
    h('span', { class: 'visually-hidden' }, ' to '),
    badge(change.status), change.value !== null && change.value !== undefined
      ? h('span', { class: 'value' }, ` at ${number(change.value, state.sensors.get(state.view.id)?.unit)}`) : null);
}

function prependTimeline(change) {
  const list = $('timeline');
  if (!list || list.querySelector(`li[data-sequence="${change.sequence}"]`)) {
    return;
  }
  list.querySelector('li.empty')?.remove();
  list.prepend(timelineEntry(change));
}

// ---- start ------------------------------------------------------------------------------------------------

$('login-form').addEventListener('submit', logIn);
$('logout').addEventListener('click', () => logOut('Logged out: the token was forgotten.'));
document.querySelector('[data-skip]').addEventListener('click', (event) => {
  event.preventDefault();
  $('main').focus();
});
window.addEventListener('hashchange', route);

const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) {
  start(saved);
}
else {
  showLogin();
}
