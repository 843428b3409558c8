// The proxy's dashboard: polls the admin port's JSON (/api/ring, /api/stats, /api/events) once a
// second and redraws. No library and no build step: the proxy serves this file as it is.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const COLORS = ['#3a6fd8', '#8e44ad', '#16a085', '#e67e22', '#c0392b', '#2c3e50', '#27ae60', '#d35400', '#7f8c8d', '#f1c40f'];
const HISTORY = 120;
const history = [];
let lastStats = null;
const lastNodeRequests = new Map();
let drawnRingVersion = null;
let drawnRingStates = '';

function element(tag, attributes = {}, text) {
  const node = tag.startsWith('svg:') ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    node.setAttribute(name, value);
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

function color(index) {
  return COLORS[index % COLORS.length];
}

function bytes(value) {
  if (value === null || value === undefined) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function number(value) {
  return value === null || value === undefined ? '–' : Math.round(value).toLocaleString('en');
}

function milliseconds(seconds) {
  return Number.isFinite(seconds) ? `${(seconds * 1000).toFixed(2)} ms` : '–';
}

async function getJson(path) {
  const response = await fetch(path, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

// One annulus sector from fraction start to end of the circle (0 at the top, clockwise).
function arcPath(start, end, outer, inner) {
  const angle = (fraction) => fraction * 2 * Math.PI - Math.PI / 2;
  const point = (radius, fraction) => `${(radius * Math.cos(angle(fraction))).toFixed(2)} ${(radius * Math.sin(angle(fraction))).toFixed(2)}`;
  const large = end - start > 0.5 ? 1 : 0;
  return `M ${point(outer, start)} A ${outer} ${outer} 0 ${large} 1 ${point(outer, end)} L ${point(inner, end)} A ${inner} ${inner} 0 ${large} 0 ${point(inner, start)} Z`;
}

function drawRing(ring) {
  const states = ring.nodes.map((n) => n.state + n.membership).join();
  if (drawnRingVersion === ring.version && drawnRingStates === states) return;
  drawnRingVersion = ring.version;
  drawnRingStates = states;
  const svg = document.getElementById('ring');
  svg.replaceChildren();
  for (const arc of ring.arcs) {
    const node = ring.nodes[arc.node];
    const path = element('svg:path', {
      d: arcPath(arc.start, arc.end, 150, 110),
      fill: color(arc.node),
      class: `arc ${node.readable ? 'up' : 'down'}`,
      'data-node': node.name,
    });
    path.appendChild(element('svg:title', {}, `${node.name}: ${(100 * (arc.end - arc.start)).toFixed(2)}% of the circle`));
    svg.appendChild(path);
  }
  ring.nodes.forEach((node, index) => {
    const y = -((ring.nodes.length - 1) * 14) / 2 + index * 14;
    const label = element('svg:text', { x: 0, y, fill: color(index), 'data-node': node.name },
      `${node.name} ${node.readable ? '' : '(' + node.state + ')'} ${(100 * node.ownership).toFixed(1)}%`);
        svg.appendChild(label);
  });
  document.getElementById('ring-note').textContent =
    `version ${ring.version}, ${ring.replicas} copies per key, ${ring.nodes.length} nodes (${ring.readableNodes} in the read ring), ${ring.source} membership`;
}

function drawNodes(ring, seconds) {
  const container = document.getElementById('nodes');
  const cards = [];
  ring.nodes.forEach((node, index) => {
    const previous = lastNodeRequests.get(node.name);
    const rate = previous && seconds > 0 ? (node.requests - previous.requests) / seconds : null;
    const latency = previous && node.requests > previous.requests
      ? (node.requestSeconds - previous.requestSeconds) / (node.requests - previous.requests) : NaN;
    lastNodeRequests.set(node.name, { requests: node.requests, requestSeconds: node.requestSeconds });
    const card = element('article', { class: `card state-${node.state}`, 'data-node': node.name, 'data-state': node.state });
    const title = element('h3');
    const name = element('span');
    const swatch = element('span', { class: 'swatch' });
    swatch.style.background = color(index);
    name.append(swatch, node.name);
    title.append(name, element('span', { class: `state ${node.state}` }, node.state.replace('_', ' ')));
    const fields = element('dl');
    const add = (label, value) => fields.append(element('dt', {}, label), element('dd', {}, value));
    add('membership', node.membership);
    add('keys', number(node.keys));
    add('memory', bytes(node.usedMemory));
    add('ops/s', rate === null ? '–' : number(rate));
    add('latency', milliseconds(latency));
    add('errors', number(node.errors));
    add('hinted keys', number(node.hintedKeys));
    add('ring share', `${(100 * node.ownership).toFixed(1)}%`);
    if (node.state !== 'up' && node.lastError) add('last error', node.lastError);
    card.append(title, fields);
    cards.push(card);
  });
  container.replaceChildren(...cards);
}

function drawHealth(ring) {
  const badge = document.getElementById('health');
  badge.textContent = ring.serviceable ? 'serviceable' : 'unavailable';
  badge.className = `badge ${ring.serviceable ? 'ok' : 'bad'}`;
  badge.title = ring.problem || '';
  document.getElementById('summary').textContent = ring.problem || `ring version ${ring.version}`;
}

function drawRepairs(ring) {
  const container = document.getElementById('repairs');
  if (ring.repairJobs.length === 0) {
    container.replaceChildren(element('p', { class: 'note' }, 'No repair in progress.'));
    return;
  }
  const items = [];
  for (const job of ring.repairJobs) {
    const copied = Number(job.copied || 0);
    const estimated = Number(job.estimated || 0);
    const share = estimated > 0 ? Math.min(1, copied / estimated) : 0;
    items.push(element('p', {}, `${job.node}: ${job.phase}, ${number(copied)} of ${number(estimated)} keys, ${job.keys_per_sec || 0} keys/s, ETA ${job.eta_s || 0} s`));
    const bar = element('div', { class: 'progress' });
    const fill = element('div');
    fill.style.width = `${(100 * share).toFixed(1)}%`;
    bar.appendChild(fill);
    items.push(bar);
  }
  container.replaceChildren(...items);
}

function drawEvents(log) {
  const list = document.getElementById('events');
  const items = log.events.slice().reverse().map((event) => {
    const item = element('li', { 'data-kind': event.kind, 'data-node': event.node || '' });
    item.append(
      element('time', { datetime: new Date(event.at).toISOString() }, new Date(event.at).toLocaleTimeString('en-GB')),
      element('span', { class: `kind ${event.kind}` }, event.kind),
      event.node ? `${event.node}: ${event.detail}` : event.detail);
    return item;
  });
  list.replaceChildren(...items);
}

function drawChart(stats) {
  if (lastStats) {
    const seconds = (stats.at - lastStats.at) / 1000;
    const requests = stats.requests - lastStats.requests;
    if (seconds > 0) {
      history.push({
        ops: (stats.commandsProcessed - lastStats.commandsProcessed) / seconds,
        latency: requests > 0 ? (stats.requestSeconds - lastStats.requestSeconds) / requests : NaN,
      });
      if (history.length > HISTORY) history.shift();
    }
  }
  lastStats = stats;
  const svg = document.getElementById('chart');
  svg.replaceChildren();
  const width = 480;
  const height = 200;
  const top = 10;
  const bottom = height - 20;
  const maxOps = Math.max(10, ...history.map((h) => h.ops));
  const latencies = history.map((h) => h.latency).filter(Number.isFinite);
  const maxLatency = Math.max(0.001, ...latencies);
  const x = (i) => width - (history.length - 1 - i) * (width / (HISTORY - 1));
  const line = (value, max) => history
    .map((h, i) => [x(i), value(h)])
    .filter(([, v]) => Number.isFinite(v))
    .map(([px, v]) => `${px.toFixed(1)},${(bottom - (v / max) * (bottom - top)).toFixed(1)}`).join(' ');
  svg.append(
    element('svg:polyline', { class: 'ops', points: line((h) => h.ops, maxOps) }),
    element('svg:polyline', { class: 'latency', points: line((h) => h.latency, maxLatency) }),
    element('svg:text', { x: 4, y: 12 }, `${number(maxOps)} ops/s`),
    element('svg:text', { x: 4, y: height - 6 }, `last ${HISTORY} s; latency scale up to ${milliseconds(maxLatency)}`));
  const last = history[history.length - 1];
  document.getElementById('ops-now').textContent = last ? number(last.ops) : '–';
  document.getElementById('latency-now').textContent = last ? milliseconds(last.latency) : '–';
}

let lastRingAt = null;

async function refresh() {
  try {
    const [ring, stats, events] = await Promise.all([getJson('api/ring'), getJson('api/stats'), getJson('api/events')]);
    const seconds = lastRingAt === null ? 0 : (stats.at - lastRingAt) / 1000;
    lastRingAt = stats.at;
    drawHealth(ring);
    drawRing(ring);
    drawNodes(ring, seconds);
    drawRepairs(ring);
    drawEvents(events);
    drawChart(stats);
    document.body.dataset.updated = String(stats.at);
  } catch (error) {
    // The proxy went away or restarts: say so and keep polling.
    const badge = document.getElementById('health');
    badge.textContent = 'no answer';
    badge.className = 'badge bad';
    document.getElementById('summary').textContent = String(error.message || error);
  }
}

refresh();
setInterval(refresh, 1000);
