// EdgePartition dashboard. One websocket (/ws) gives a snapshot, then changes and status messages; the page keeps
// a model of the partition and redraws at most a few times a second, whatever the change rate. No build step, no
// libraries, nothing loaded from another host. A token with the write role gets an edit control on writable tags
// (with a confirmation step); the write goes through PUT /api/devices/{device}/tags/{tag}, whose answer is the
// device's own result, shown beside the control.
'use strict';

const RENDER_INTERVAL_MS = 200;
const TREND_POINTS = 120;
const MAX_TAG_ROWS = 2000;

const model = {
  partition: '',
  devices: new Map(), // name -> { name, protocol, endpoint, status, statusAt, tags: Map, trend: [], lastCycles }
  sync: null,         // same shape, the sync segment
  selected: '',
  dirty: { devices: true, tags: true, sync: true },
  changedTags: new Set(),
  access: { token: '', canWrite: false },
};

const $ = (id) => document.getElementById(id);

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

// ---- websocket ------------------------------------------------------------------------------------------------

let socket = null;
let reconnectDelay = 1000;

function connect() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  setLink('connecting', 'connecting');
  socket = new WebSocket(`${scheme}//${location.host}/ws`);
  socket.onopen = () => { reconnectDelay = 1000; setLink('live', 'live'); };
  socket.onmessage = (event) => {
    const data = JSON.parse(event.data);
    if (Array.isArray(data)) data.forEach(handle); else handle(data);
  };
  socket.onclose = (event) => {
    setLink('down', event.reason ? `down: ${event.reason}` : 'down, retrying');
    setTimeout(connect, reconnectDelay);
    reconnectDelay = Math.min(reconnectDelay * 2, 10000);
  };
}

function setLink(kind, text) {
  const link = $('link');
  link.className = `link link-${kind}`;
  link.textContent = text;
}

function handle(message) {
  switch (message.type) {
    case 'snapshot': applySnapshot(message); break;
    case 'change': applyChange(message); break;
    case 'status': applyStatus(message.device, message.status); break;
    case 'error': $('footer').textContent = `server: ${message.message}`; break;
    default: break;
  }
}

function sourceFrom(entry) {
  const source = {
    name: entry.name, protocol: entry.protocol || '', endpoint: entry.endpoint || '',
    status: null, statusAt: 0, tags: new Map(), trend: [], lastCycles: -1,
  };
  for (const t of entry.tags || []) {
    source.tags.set(t.tag, { type: t.type, value: t.value, quality: t.quality, ts: t.ts, at: 0, writable: t.writable === true });
  }
  return source;
}

function applySnapshot(message) {
  model.partition = message.partition || '';
  document.title = `EdgePartition ${model.partition}`;
  $('partition').textContent = model.partition;
  const previous = model.devices;
  model.devices = new Map();
  for (const entry of message.devices || []) {
    const source = sourceFrom(entry);
    const old = previous.get(entry.name);
    if (old) source.trend = old.trend;
    model.devices.set(entry.name, source);
    if (entry.status) applyStatus(entry.name, entry.status);
  }
  model.sync = message.sync ? sourceFrom(message.sync) : null;
  if (message.sync && message.sync.status) applyStatus('sync', message.sync.status);
  if (!model.devices.has(model.selected)) model.selected = model.devices.keys().next().value || '';
  rebuildDeviceCards();
  rebuildDeviceSelect();
  model.dirty.tags = model.dirty.sync = model.dirty.devices = true;
  model.changedTags.clear();
}

function sourceOf(name) {
  return name === 'sync' ? model.sync : model.devices.get(name);
}

function applyChange(message) {
  const source = sourceOf(message.device);
  if (!source) return;
  const now = performance.now();
  const old = source.tags.get(message.tag);
  source.tags.set(message.tag, {
    type: old ? old.type : '', value: message.value, quality: message.quality, ts: message.ts, at: now, writable: old ? old.writable : false,
  });
  if (message.device === 'sync') {
    model.dirty.sync = true;
  } else if (message.device === model.selected) {
    model.changedTags.add(message.tag);
  }
}

function applyStatus(name, status) {
  const source = sourceOf(name);
  if (!source) return;
  source.status = status;
  source.statusAt = performance.now();
  if (status.cycles !== undefined && status.cycles !== source.lastCycles && status.cycleLastMs !== undefined) {
    source.lastCycles = status.cycles;
    source.trend.push(status.cycleLastMs);
    if (source.trend.length > TREND_POINTS) source.trend.shift();
  }
  if (name === 'sync') model.dirty.sync = true; else model.dirty.devices = true;
}

// ---- formatting -----------------------------------------------------------------------------------------------

function fmtCount(n) {
  if (n === undefined || n === null) return '–';
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)} k`;
  return String(n);
}

function fmtMs(ms) {
  if (ms === undefined || ms === null) return '–';
  if (ms >= 10000) return `${(ms / 1000).toFixed(0)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(2)} ms`;
}

function fmtBytes(n) {
  if (n === undefined || n === null) return '–';
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${n} B`;
}

function fmtTime(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime()) || d.getTime() <= 0) return '–';
  return d.toISOString().replace('T', ' ').replace('Z', '').slice(0, 23);
}

function fmtSince(iso) {
  if (!iso) return '';
  const ms = Date.now() - new Date(iso).getTime();
  return Number.isFinite(ms) && ms >= 0 ? `for ${fmtMs(ms)}` : '';
}

function fmtValue(value) {
  if (value === null || value === undefined) return '–';
  if (Array.isArray(value)) {
    const shown = value.slice(0, 32).join(', ');
    return value.length > 32 ? `[${shown}, … ${value.length} items]` : `[${shown}]`;
  }
  if (typeof value === 'number' && !Number.isInteger(value)) return String(Math.round(value * 1e6) / 1e6);
  return String(value);
}

function heartbeatAge(source) {
  if (!source.status || source.status.heartbeatAgeMs === undefined || source.status.heartbeatAgeMs === null) return null;
  return source.status.heartbeatAgeMs + (performance.now() - source.statusAt);
}

// Colour of a device: grey when no process writes its segment, red when the device is unreachable,
// amber while connecting or when sync declared its heartbeat stale, green when all is well.
function stateClass(status, alive) {
  if (!status || !status.present) return 'off';
  if (status.liveness === 'gone' || status.liveness === 'superseded' || status.liveness === 'absent') return 'off';
  if (status.liveness === 'hung') return 'bad';
  const connection = status.connection || '';
  if (connection === 'connected') return alive === false ? 'warn' : 'ok';
  if (connection === 'connecting' || connection === 'reconnecting' || connection === 'starting') return 'warn';
  return 'bad';
}

// Sync's verdict on a device heartbeat: the live sync tag alive.<device> when the feed carries it, else the value
// the device's last status message had; null when sync does not watch the device.
function deviceAlive(source) {
  const flag = syncTag(`alive.${source.name}`);
  if (flag !== undefined && flag !== null) return Boolean(flag);
  return source.status && source.status.alive !== undefined ? source.status.alive : null;
}

function stateText(status) {
  if (!status || !status.present) return 'no segment';
  if (status.liveness && status.liveness !== 'alive') return `writer ${status.liveness}`;
  return status.connection || 'unknown';
}

// ---- devices --------------------------------------------------------------------------------------------------

const cards = new Map();

function rebuildDeviceCards() {
  const container = $('devices');
  container.replaceChildren();
  cards.clear();
  for (const source of model.devices.values()) {
    const card = el('div', 'device state-off');
    card.dataset.device = source.name;
    card.tabIndex = 0;
    const head = el('div', 'device-head');
    head.append(el('span', 'device-name', source.name), el('span', 'badge', '…'));
    const endpoint = el('div', 'device-endpoint', `${source.protocol} ${source.endpoint}`.trim());
    const error = el('div', 'device-error');
    const stats = el('div', 'stats');
    const trend = el('canvas', 'trend');
    trend.width = 300;
    trend.height = 36;
    card.append(head, endpoint, error, stats, trend);
    card.addEventListener('click', () => select(source.name));
    card.addEventListener('keydown', (e) => { if (e.key === 'Enter') select(source.name); });
    container.append(card);
    cards.set(source.name, { card, badge: head.lastChild, endpoint, error, stats, trend });
  }
  $('device-count').textContent = `(${model.devices.size})`;
}

function stat(stats, key, value) {
  stats.append(el('span', 'k', key), el('span', 'v', value));
}

function renderDevices() {
  for (const source of model.devices.values()) {
    const view = cards.get(source.name);
    if (!view) continue;
    const s = source.status;
    const alive = deviceAlive(source);
    const kind = stateClass(s, alive);
    view.card.className = `device state-${kind}${source.name === model.selected ? ' selected' : ''}`;
    view.badge.className = `badge ${kind}`;
    view.badge.textContent = stateText(s);
    if (s && s.endpoint) view.endpoint.textContent = `${source.protocol} ${s.endpoint}`.trim();
    view.error.textContent = s && s.lastError && kind !== 'ok' ? s.lastError : '';
    view.stats.replaceChildren();
    if (s && s.present) {
      stat(view.stats, 'reads ok', fmtCount(s.readsOk));
      stat(view.stats, 'failed', fmtCount(s.readsFailed));
      stat(view.stats, 'since', fmtSince(s.since));
      stat(view.stats, 'writes ok', fmtCount(s.writesOk));
      stat(view.stats, 'failed', fmtCount(s.writesFailed));
      stat(view.stats, 'reconnects', fmtCount(s.reconnects));
      stat(view.stats, 'cycle', fmtMs(s.cycleLastMs));
      stat(view.stats, 'avg', fmtMs(s.cycleAvgMs));
      stat(view.stats, 'max', fmtMs(s.cycleMaxMs));
      stat(view.stats, 'heartbeat', fmtMs(heartbeatAge(source)));
      stat(view.stats, 'alive', alive === null ? '–' : (alive ? 'yes' : 'STALE'));
      stat(view.stats, 'bytes', fmtBytes((s.bytesRead || 0) + (s.bytesWritten || 0)));
    }
    drawTrend(view.trend, source.trend);
  }
}

function drawTrend(canvas, points) {
  const ctx = canvas.getContext('2d');
  const w = canvas.width;
  const h = canvas.height;
  ctx.clearRect(0, 0, w, h);
  if (points.length < 2) return;
  const max = Math.max(...points, 0.001);
  ctx.strokeStyle = '#4aa3e0';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  points.forEach((p, i) => {
    const x = (i / (TREND_POINTS - 1)) * w;
    const y = h - 2 - (p / max) * (h - 6);
    if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
  });
  ctx.stroke();
  ctx.fillStyle = '#8591a0';
  ctx.font = '10px sans-serif';
  ctx.fillText(`max ${fmtMs(max)}`, w - 70, 10);
}

// ---- tags of the selected device ------------------------------------------------------------------------------

const rows = new Map();

function rebuildDeviceSelect() {
  const selectBox = $('tag-device');
  selectBox.replaceChildren();
  for (const name of model.devices.keys()) {
    const option = el('option', '', name);
    option.value = name;
    selectBox.append(option);
  }
  selectBox.value = model.selected;
}

function select(name) {
  model.selected = name;
  $('tag-device').value = name;
  model.dirty.tags = model.dirty.devices = true;
}

function tagFilter() {
  const text = $('tag-filter').value.trim();
  if (!text) return null;
  const escaped = text.split(',').map((p) => p.trim()).filter(Boolean)
    .map((p) => p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.'));
  return new RegExp(`^(${escaped.join('|')})$`);
}

function rebuildTags() {
  const body = $('tags').tBodies[0];
  body.replaceChildren();
  rows.clear();
  const source = model.devices.get(model.selected);
  if (!source) {
    const empty = el('tr', 'empty');
    empty.append(el('td', '', 'no device'));
    body.append(empty);
    return;
  }
  const filter = tagFilter();
  let count = 0;
  for (const [name, tag] of source.tags) {
    if (filter && !filter.test(name)) continue;
    if (++count > MAX_TAG_ROWS) break;
    const row = el('tr');
    row.dataset.tag = name;
    row.append(el('td', 'name', name), el('td', 'value'), el('td', 'quality'), el('td', 'ts'), writeCell(source.name, name, tag));
    body.append(row);
    rows.set(name, row);
    fillRow(row, tag, false);
  }
}

// ---- operator writes ---------------------------------------------------------------------------------------

// The edit control of one tag: "edit" → a value field and "write…" → "write TAG = VALUE?" with confirm/cancel →
// the device's answer beside it. Read-only tokens and tags the config does not mark writable get no control.
function writeCell(device, name, tag) {
  const cell = el('td', 'write');
  if (!model.access.canWrite || !tag.writable) return cell;
  const result = el('span', 'write-result');
  const showEdit = () => {
    const edit = el('button', 'write-edit', 'edit');
    edit.type = 'button';
    edit.addEventListener('click', (e) => { e.stopPropagation(); showInput(); });
    cell.replaceChildren(edit, result);
  };
  const showInput = () => {
    const current = (sourceOf(device) || { tags: new Map() }).tags.get(name);
    const input = el('input', 'write-value');
    input.value = current ? JSON.stringify(current.value) : '';
    input.setAttribute('aria-label', `new value of ${name}`);
    const next = el('button', 'write-next', 'write…');
    next.type = 'button';
    const cancel = el('button', 'write-cancel', 'cancel');
    cancel.type = 'button';
    next.addEventListener('click', () => showConfirm(input.value));
    cancel.addEventListener('click', showEdit);
    cell.replaceChildren(input, next, cancel, result);
    input.focus();
  };
  const showConfirm = (text) => {
    const value = parseValue(text);
    const question = el('span', 'write-confirm', `write ${name} = ${JSON.stringify(value)}?`);
    const confirm = el('button', 'write-ok', 'confirm');
    confirm.type = 'button';
    const cancel = el('button', 'write-cancel', 'cancel');
    cancel.type = 'button';
    confirm.addEventListener('click', () => { showEdit(); send(device, name, value, result); });
    cancel.addEventListener('click', showEdit);
    cell.replaceChildren(question, confirm, cancel, result);
  };
  showEdit();
  return cell;
}

// JSON when the text is JSON (numbers, true/false, arrays), otherwise the text itself (string tags).
function parseValue(text) {
  try { return JSON.parse(text); } catch { return text; }
}

async function send(device, name, value, result) {
  result.className = 'write-result';
  result.textContent = 'writing…';
  try {
    const response = await fetch(`/api/devices/${encodeURIComponent(device)}/tags/${encodeURIComponent(name)}`, {
      method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ value }), credentials: 'same-origin',
    });
    const body = await response.json().catch(() => ({}));
    const ok = response.ok && body.result === 'done';
    result.className = `write-result ${ok ? 'ok' : 'bad'}`;
    result.dataset.result = body.result || String(response.status);
    result.textContent = ok ? `done (${fmtMs(body.latencyMs)})` : `${body.result || response.status}: ${body.error || response.statusText}`;
  } catch (e) {
    result.className = 'write-result bad';
    result.dataset.result = 'network';
    result.textContent = `failed: ${e.message}`;
  }
  refreshWrites();
}

async function loadAccess() {
  try {
    const response = await fetch('/api/writes/access', { credentials: 'same-origin' });
    if (response.ok) model.access = await response.json();
  } catch { /* read-only until known */ }
  $('access').textContent = model.access.canWrite ? `(token ${model.access.token} may write)` : '(read only)';
  model.dirty.tags = true;
}

async function refreshWrites() {
  let writes = [];
  try {
    const response = await fetch('/api/writes/recent', { credentials: 'same-origin' });
    if (!response.ok) return;
    writes = await response.json();
  } catch { return; }
  const body = $('writes').tBodies[0];
  body.replaceChildren();
  if (writes.length === 0) {
    const empty = el('tr', 'empty');
    const cell = el('td', '', 'no writes yet');
    cell.colSpan = 7;
    empty.append(cell);
    body.append(empty);
    return;
  }
  for (const w of writes.slice(0, 20)) {
    const row = el('tr');
    row.append(el('td', '', fmtTime(w.time)), el('td', '', w.token), el('td', '', `${w.device}/${w.tag}`),
      el('td', '', fmtValue(w.value)), el('td', '', fmtValue(w.previous)),
      el('td', `quality q-${w.result === 'done' ? 'good' : 'bad'}`, w.error ? `${w.result}: ${w.error}` : w.result),
      el('td', '', fmtMs(w.latencyMs)));
    body.append(row);
  }
}

function fillRow(row, tag, flash) {
  const cells = row.cells;
  cells[1].textContent = fmtValue(tag.value);
  cells[1].title = tag.type || '';
  cells[2].textContent = tag.quality || '';
  cells[2].className = `quality q-${tag.quality || 'bad'}`;
  cells[3].textContent = fmtTime(tag.ts);
  if (flash) {
    row.classList.add('flash');
    setTimeout(() => row.classList.remove('flash'), 50);
  }
}

function renderChangedTags() {
  const source = model.devices.get(model.selected);
  if (!source) return;
  for (const name of model.changedTags) {
    const row = rows.get(name);
    const tag = source.tags.get(name);
    if (row && tag) fillRow(row, tag, true); else if (tag) model.dirty.tags = true;
  }
  model.changedTags.clear();
}

// ---- sync: summary, request table, merged image ---------------------------------------------------------------

const REQUEST_STATES = ['idle', 'requested', 'executed', 'acknowledged', 'timed out'];
let lastImage = null;

function syncTag(name) {
  const tag = model.sync && model.sync.tags.get(name);
  return tag ? tag.value : undefined;
}

function kv(container, key, value) {
  const span = el('span', 'kv');
  span.append(el('span', 'k', key), el('span', 'v', value));
  container.append(span);
}

function renderSyncSummary() {
  const summary = $('sync-summary');
  summary.replaceChildren();
  if (!model.sync) {
    summary.append(el('span', 'muted', 'no sync segment in this partition'));
  } else {
    const s = model.sync.status;
    kv(summary, 'state', stateText(s));
    if (s && s.present) {
      kv(summary, 'cycles', fmtCount(s.cycles));
      kv(summary, 'cycle', fmtMs(s.cycleLastMs));
      kv(summary, 'avg', fmtMs(s.cycleAvgMs));
      kv(summary, 'max', fmtMs(s.cycleMaxMs));
      kv(summary, 'server heartbeat', fmtCount(syncTag('heartbeat')));
      kv(summary, 'heartbeat age', fmtMs(heartbeatAge(model.sync)));
      const image = model.sync.tags.get('image');
      kv(summary, 'last merge', image ? fmtTime(image.ts) : '–');
      summary.firstChild.className = `kv state-${stateClass(s, null)}`;
    }
  }
}

function renderRequests() {
  const body = $('requests').tBodies[0];
  body.replaceChildren();
  const pairs = [];
  if (model.sync) {
    for (const name of model.sync.tags.keys()) {
      const m = /^request\.(.+)\.state$/.exec(name);
      if (m) pairs.push(m[1]);
    }
  }
  if (pairs.length === 0) {
    const empty = el('tr', 'empty');
    const cell = el('td', '', 'no request/ack pairs configured');
    cell.colSpan = 8;
    empty.append(cell);
    body.append(empty);
    return;
  }
  pairs.sort();
  for (const pair of pairs) {
    const state = Number(syncTag(`request.${pair}.state`) ?? 0);
    const row = el('tr', state === 1 || state === 2 ? 'req-pending' : state === 4 ? 'req-timeout' : '');
    row.dataset.pair = pair;
    row.append(
      el('td', 'name', pair),
      el('td', 'state', REQUEST_STATES[state] || String(state)),
      el('td', '', fmtTime(syncTag(`request.${pair}.requested_at`))),
      el('td', '', fmtTime(syncTag(`request.${pair}.executed_at`))),
      el('td', '', fmtTime(syncTag(`request.${pair}.acknowledged_at`))),
      el('td', '', fmtCount(syncTag(`request.${pair}.served`))),
      el('td', '', fmtCount(syncTag(`request.${pair}.timed_out`))),
      el('td', '', fmtCount(syncTag(`request.${pair}.withdrawn`))));
    body.append(row);
  }
}

function renderImage() {
  const pre = $('image');
  const image = syncTag('image');
  if (!Array.isArray(image) || image.length === 0) {
    pre.textContent = 'no merged image yet';
    pre.className = 'image muted';
    $('image-size').textContent = '';
    return;
  }
  pre.className = 'image';
  $('image-size').textContent = `(${image.length} bytes)`;
  pre.replaceChildren();
  for (let offset = 0; offset < image.length; offset += 16) {
    pre.append(document.createTextNode(`${offset.toString(16).padStart(4, '0')}  `));
    for (let i = offset; i < Math.min(offset + 16, image.length); i++) {
      const text = `${(image[i] & 0xff).toString(16).padStart(2, '0')} `;
      if (lastImage && lastImage[i] !== image[i]) pre.append(el('span', 'changed', text));
      else pre.append(document.createTextNode(text));
    }
    pre.append(document.createTextNode('\n'));
  }
  lastImage = image;
}

// ---- render loop ----------------------------------------------------------------------------------------------

function render() {
  $('clock').textContent = new Date().toISOString().slice(11, 19) + ' UTC';
  if (model.dirty.tags) {
    model.dirty.tags = false;
    model.changedTags.clear();
    rebuildTags();
  } else if (model.changedTags.size > 0) {
    renderChangedTags();
  }
  // Heartbeat ages grow between messages, so device cards and the sync summary are redrawn on every tick.
  renderDevices();
  renderSyncSummary();
  if (model.dirty.sync) {
    model.dirty.sync = false;
    renderRequests();
    renderImage();
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('tag-device').addEventListener('change', (e) => select(e.target.value));
  $('tag-filter').addEventListener('input', () => { model.dirty.tags = true; });
  setInterval(render, RENDER_INTERVAL_MS);
  loadAccess();
  refreshWrites();
  setInterval(refreshWrites, 2000);
  connect();
});
