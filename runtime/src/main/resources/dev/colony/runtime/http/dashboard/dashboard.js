// Colony's dashboard: polls the node's HTTP API (GET /nodes, /jobs, /jobs/{id}, /learner) once a
// second and draws what it answers. No libraries: the page must work on a machine with no internet.
'use strict';

const POLL_MS = 1000;
const MAX_TASK_ROWS = 200;
const MAX_BARS = 2000;
const CHART_H = 160;
const LARGE_JOB = 2000;
const LARGE_JOB_POLL_MS = 5000;
const SVG_NS = 'http://www.w3.org/2000/svg';
const $ = (id) => document.getElementById(id);
let selected = null;      // the job shown in detail
let userSelected = false; // whether a person chose it (else: the newest job)
let shown = { id: null, at: 0, tasks: 0 }; // the job last fetched: when, and how many tasks it has

// ---- talking to the API ------------------------------------------------------------------

function token() { return localStorage.getItem('colony-token') || ''; }

async function api(method, path, body) {
  const headers = { 'Content-Type': 'application/json' };
  if (token()) headers.Authorization = 'Bearer ' + token();
  const r = await fetch(path, { method, headers, body });
  if (r.status === 401) {
    $('token-bar').hidden = false;
    throw new Error('the API asks for a token (401)');
  }
  const text = await r.text();
  const json = text ? JSON.parse(text) : null;
  return { status: r.status, json };
}

async function get(path) {
  const r = await api('GET', path);
  if (r.status !== 200) throw new Error(path + ': ' + r.status + ' ' + (r.json && r.json.error || ''));
  return r.json;
}

// ---- small helpers -----------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
  children.forEach((c) => e.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c))));
  return e;
}

function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG_NS, tag);
  Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
  if (text != null) e.textContent = text;
  return e;
}

function ms(v) {
  if (v == null) return '';
  if (v < 1000) return Math.round(v) + ' ms';
  if (v < 120000) return (v / 1000).toFixed(1) + ' s';
  return (v / 60000).toFixed(1) + ' min';
}

function bytes(v) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i === 0 ? v : v.toFixed(1)) + ' ' + units[i];
}

function meter(used, total, text) {
  const pct = total > 0 ? Math.min(100, 100 * used / total) : 0;
  const m = el('span', { class: 'meter' });
  const fill = el('i');
  fill.style.width = pct + '%';
  m.append(fill);
  return el('span', {}, m, text);
}

function progress(done, total, big) {
  const pct = total > 0 ? Math.floor(100 * done / total) : 0;
  const bar = el('div', { class: 'progress' + (big ? ' big' : '') });
  const fill = el('div');
  fill.style.width = pct + '%';
  bar.append(fill, el('span', { class: 'pct' }, pct + ' %'));
  return bar;
}

function time(epochMs) { return epochMs ? new Date(epochMs).toLocaleTimeString() : ''; }

// ---- nodes -------------------------------------------------------------------------------

function drawNodes(nodes) {
  const rows = nodes.map((n) => {
    const c = n.capacity;
    const l = n.load;
    const r = l ? l.reserved : null;
    return el('tr', { 'data-node': n.name }, el('td', {}, n.name),
      el('td', {}, r ? meter(r.cpus, c.cpus, r.cpus + ' / ' + c.cpus) : 'no answer'),
      el('td', {}, r ? meter(r.memoryBytes, c.memoryBytes, bytes(r.memoryBytes) + ' / ' + bytes(c.memoryBytes)) : ''),
      el('td', {}, c.gpus === 0 ? '—' : r ? meter(r.gpus, c.gpus, r.gpus + ' / ' + c.gpus + ' (' + bytes(r.gpuMemoryBytes)
        + ' of ' + bytes(c.gpuMemoryBytes) + (l.gpuUse >= 0 ? '; busy ' + Math.round(100 * l.gpuUse) + ' %' : '')
        + ')') : ''),
      el('td', {}, l ? l.running : ''), el('td', {}, l ? l.granted : ''), el('td', {}, l ? l.queued : ''),
      el('td', {}, '×' + n.speedFactor));
  });
  $('nodes').tBodies[0].replaceChildren(...rows);
  return nodes.length;
}

// ---- jobs --------------------------------------------------------------------------------

function drawJobs(listing) {
  $('job-counts').textContent = listing.running + ' running, ' + listing.succeeded + ' succeeded, '
    + listing.failed + ' failed';
  if (!userSelected && listing.jobs.length > 0) selected = listing.jobs[0].id;
  const rows = listing.jobs.map((j) => {
    const done = j.done == null ? (j.phase === 'SUCCEEDED' ? j.tasks : 0) : j.done;
    const tr = el('tr', { 'data-job': j.id, class: j.id === selected ? 'selected' : '' },
      el('td', {}, j.id), el('td', {}, el('span', { class: 'badge ' + j.phase }, j.phase.toLowerCase())),
      el('td', {}, progress(done, j.tasks)), el('td', {}, done + ' / ' + j.tasks), el('td', {}, time(j.acceptedAtMs)),
      el('td', {}, j.finishedAtMs ? ms(j.finishedAtMs - j.acceptedAtMs) : ms(Date.now() - j.acceptedAtMs)));
    tr.addEventListener('click', () => { selected = j.id; userSelected = true; refresh(); });
    return tr;
  });
  $('jobs').tBodies[0].replaceChildren(...rows);
}

function drawJob(s) {
  const tasks = Object.entries(s.tasks || {});
  const done = tasks.filter(([, t]) => t.state === 'SUCCEEDED').length;
  $('job-panel').hidden = false;
  $('job-id').textContent = s.jobId;
  $('job-phase').textContent = s.phase.toLowerCase();
  $('job-phase').className = 'badge ' + s.phase;
  const bar = progress(done, tasks.length, true);
  bar.id = 'job-progress';
  $('job-bar').parentElement.replaceWith(bar);
  bar.firstChild.id = 'job-bar';
  $('job-reason').textContent = s.reason || '';
  drawTimeline(s, tasks);
  const rows = tasks.slice(0, MAX_TASK_ROWS).map(([id, t]) => el('tr', { 'data-task': id }, el('td', {}, id),
    el('td', {}, el('span', { class: 'badge ' + t.state }, t.state.toLowerCase())), el('td', {}, t.node || ''),
    el('td', {}, t.attempts), el('td', {}, ms(t.queueWaitMs)), el('td', {}, ms(t.runMs)), el('td', {}, t.policy || ''),
    el('td', { class: 'error' }, t.error || '')));
  if (tasks.length > MAX_TASK_ROWS) {
    rows.push(el('tr', {}, el('td', { colspan: 8, class: 'muted' }, (tasks.length - MAX_TASK_ROWS) + ' more tasks')));
  }
  $('tasks').tBodies[0].replaceChildren(...rows);
}

/**
 * One band per node, split into lanes so that attempts running at once do not overlap; each attempt
 * is a light bar (its queue wait) then a dark one (its run) on a time axis from the job's acceptance.
 */
function drawTimeline(s, tasks) {
  const box = $('timeline');
  const placed = tasks.filter(([, t]) => t.node && t.startedAtMs > 0).slice(0, MAX_BARS)
    .map(([id, t]) => ({ id, t, from: t.startedAtMs - t.queueWaitMs,
      to: t.state === 'RUNNING' ? Date.now() : t.startedAtMs + t.runMs }))
    .sort((a, b) => a.from - b.from);
  box.replaceChildren();
  if (placed.length === 0) {
    box.setAttribute('height', 30);
    box.append(svg('text', { x: 8, y: 18, fill: '#8a93a3' }, 'no task has started yet'));
    return;
  }
  const lanes = new Map(); // node -> end of each lane
  for (const p of placed) {
    const ends = lanes.get(p.t.node) || [];
    let lane = ends.findIndex((end) => end <= p.from);
    if (lane < 0) { lane = ends.length; ends.push(0); }
    ends[lane] = p.to;
    p.lane = lane;
    lanes.set(p.t.node, ends);
  }
  const nodes = [...lanes.keys()].sort();
  const laneH = 12;
  const top = new Map();
  let y = 4;
  for (const n of nodes) { top.set(n, y); y += lanes.get(n).length * laneH + 8; }
  const left = 90;
  const width = box.clientWidth || 600;
  const height = y + 14;
  box.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
  box.setAttribute('height', height);
  const start = Math.min(s.acceptedAtMs, ...placed.map((p) => p.from));
  const end = Math.max(s.finishedAtMs || Date.now(), ...placed.map((p) => p.to));
  const x = (t) => left + (width - left - 10) * (t - start) / Math.max(1, end - start);
  for (const n of nodes) {
    box.append(svg('text', { x: 4, y: top.get(n) + 10, 'font-size': 11 }, n));
    box.append(svg('line', { x1: 0, x2: width, y1: top.get(n) - 4, y2: top.get(n) - 4, stroke: '#e3e7ee' }));
  }
  for (const p of placed) {
    const y0 = top.get(p.t.node) + p.lane * laneH;
    const r0 = x(p.t.startedAtMs);
    box.append(svg('rect', { x: x(p.from), y: y0, width: Math.max(0, r0 - x(p.from)), height: laneH - 2,
      fill: '#c6d8f5' }));
    const run = svg('rect', { x: r0, y: y0, width: Math.max(1, x(p.to) - r0), height: laneH - 2,
      fill: p.t.state === 'FAILED' ? '#d9534f' : '#3b7ddd', 'data-task': p.id });
    run.append(svg('title', {}, p.id + ' on ' + p.t.node + ': waited ' + ms(p.t.queueWaitMs) + ', ran '
      + ms(p.t.runMs)));
    box.append(run);
  }
  box.append(svg('text', { x: left, y: height - 3, 'font-size': 10, fill: '#555' }, '0'));
  box.append(svg('text', { x: width - 10, y: height - 3, 'font-size': 10, fill: '#555', 'text-anchor': 'end' },
    ms(end - start)));
}

// ---- learner -----------------------------------------------------------------------------

function drawLearner(view) {
  const st = view.state;
  const d = st.deployment;
  const facts = [
    ['generation', st.generation + (view.searching ? ' (searching…)' : '')],
    ['objective', view.objective],
    ['deployed', 'v' + d.incumbent + ': ' + view.deployedInWords],
    ['canary', d.canary > 0 ? 'v' + d.canary + ' on ' + Math.round(100 * d.canarySlice) + ' % of jobs: '
      + view.canaryInWords + ' — ' + trialText(st.trial) : 'none on trial'],
    ['jobs recorded', view.recentJobs + ' (' + st.jobsSinceSearch + ' since the last search)'],
  ];
  $('learner-facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', { 'data-fact': k }, v)]));
  const gens = st.progress.map((v, i) => ({ label: String(st.generation - st.progress.length + 1 + i), value: v }));
  lineChart($('generation-chart'), gens);
  const versions = st.history.filter((r) => r.live && r.status !== 'on trial').map((r) => ({ label: 'v' + r.version,
    value: r.live.canaryMean, base: r.live.incumbentMean, status: r.status }));
  const t = st.trial;
  if (d.canary > 0 && t && t.canary.length > 0 && t.incumbent.length > 0) {
    versions.push({ label: 'v' + d.canary, value: mean(t.canary), base: mean(t.incumbent), status: 'on trial' });
  }
  barChart($('version-chart'), versions);
  const history = st.history.slice().reverse().map((r) => el('li', { 'data-version': r.version },
    el('b', {}, 'v' + r.version + ' ' + r.status), ' — ' + r.words, el('br'), el('span', { class: 'muted' }, r.reason)));
  $('history').replaceChildren(...(history.length ? history
    : [el('li', { class: 'muted' }, 'none yet: no candidate has beaten the deployed policy in simulation')]));
}

function mean(a) { return a.reduce((x, y) => x + y, 0) / a.length; }

function trialText(t) {
  const side = (name, a, failed) => name + (a.length === 0 ? ': no job yet'
    : ' ' + mean(a).toFixed(3) + ' over ' + a.length + ' job' + (a.length === 1 ? '' : 's'))
    + (failed ? ' (' + failed + ' failed)' : '');
  return t ? side('canary', t.canary, t.canaryFailed) + '; incumbent' + side('', t.incumbent, t.incumbentFailed)
    : 'no job yet';
}

function scale(values, h) {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = (hi - lo) * 0.1 || Math.abs(hi) * 0.1 || 1;
  return (v) => h - 18 - (h - 30) * (v - (lo - pad)) / ((hi + pad) - (lo - pad));
}

/** Clears a chart's box and sizes it; returns its width, or 0 when there is nothing to draw (it then says `empty`). */
function chartBox(box, count, empty) {
  const w = box.clientWidth || 300;
  box.setAttribute('viewBox', '0 0 ' + w + ' ' + CHART_H);
  box.setAttribute('height', CHART_H);
  box.replaceChildren();
  if (count === 0) box.append(svg('text', { x: 8, y: 20, fill: '#8a93a3' }, empty));
  return count === 0 ? 0 : w;
}

function lineChart(box, points) {
  const w = chartBox(box, points.length, 'no generation searched yet');
  const h = CHART_H;
  if (w === 0) return;
  const y = scale(points.map((p) => p.value), h);
  const x = (i) => 40 + (w - 50) * (points.length === 1 ? 0.5 : i / (points.length - 1));
  box.append(svg('polyline', { points: points.map((p, i) => x(i) + ',' + y(p.value)).join(' '), fill: 'none',
    stroke: '#3b7ddd', 'stroke-width': 2 }));
  points.forEach((p, i) => {
    const dot = svg('circle', { cx: x(i), cy: y(p.value), r: 3, fill: '#3b7ddd' });
    dot.append(svg('title', {}, 'generation ' + p.label + ': ' + p.value.toPrecision(4)));
    box.append(dot);
  });
  const values = points.map((p) => p.value);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  box.append(svg('text', { x: 2, y: y(hi) + 4, 'font-size': 10 }, hi.toPrecision(3)));
  if (hi !== lo) box.append(svg('text', { x: 2, y: y(lo) + 4, 'font-size': 10 }, lo.toPrecision(3)));
  box.append(svg('text', { x: w - 4, y: h - 4, 'font-size': 10, 'text-anchor': 'end' }, 'generation ' + points.at(-1).label));
}

function barChart(box, bars) {
  const w = chartBox(box, bars.length, 'no policy version has run live yet');
  const h = CHART_H;
  if (w === 0) return;
  const max = Math.max(...bars.flatMap((b) => [b.value, b.base])) * 1.1;
  const slot = (w - 20) / bars.length;
  const colour = { promoted: '#3a9d5d', 'rolled back': '#d9534f', 'on trial': '#e0a800' };
  bars.forEach((b, i) => {
    const x0 = 10 + i * slot;
    const bw = Math.min(30, slot / 3);
    const hv = (h - 30) * b.value / max;
    const hb = (h - 30) * b.base / max;
    const own = svg('rect', { x: x0 + slot / 2 - bw, y: h - 18 - hv, width: bw, height: hv, fill: colour[b.status] || '#888' });
    own.append(svg('title', {}, b.label + ' (' + b.status + '): ' + b.value.toPrecision(4)));
    const base = svg('rect', { x: x0 + slot / 2, y: h - 18 - hb, width: bw, height: hb, fill: '#b8c0cc' });
    base.append(svg('title', {}, 'incumbent while ' + b.label + ' ran: ' + b.base.toPrecision(4)));
    box.append(own, base, svg('text', { x: x0 + slot / 2, y: h - 4, 'font-size': 10, 'text-anchor': 'middle' }, b.label));
  });
}

// ---- the loop ----------------------------------------------------------------------------

/** Whether to fetch the chosen job again: every poll, but a large one (all its tasks) every 5 s. */
function jobDue() {
  return shown.id !== selected || shown.tasks <= LARGE_JOB || Date.now() - shown.at >= LARGE_JOB_POLL_MS;
}

async function refresh() {
  try {
    const [nodes, listing] = await Promise.all([get('/nodes'), get('/jobs?limit=15')]);
    const count = drawNodes(nodes);
    drawJobs(listing);
    $('summary').textContent = count + ' node' + (count === 1 ? '' : 's') + ' · ' + listing.running + ' job'
      + (listing.running === 1 ? '' : 's') + ' running';
    if (selected && jobDue()) {
      const status = await get('/jobs/' + encodeURIComponent(selected));
      shown = { id: selected, at: Date.now(), tasks: Object.keys(status.tasks || {}).length };
      drawJob(status);
    }
    const learner = await api('GET', '/learner');
    $('learner-off').hidden = learner.status !== 404;
    $('learner-body').hidden = learner.status !== 200;
    if (learner.status === 200) drawLearner(learner.json);
    $('error').hidden = true;
    $('live').textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    $('error').textContent = String(e.message || e);
    $('error').hidden = false;
  }
}

async function submit() {
  const out = $('submit-result');
  try {
    const r = await api('POST', '/jobs', $('spec').value);
    if (r.status === 202) {
      out.textContent = 'accepted: ' + r.json.id;
      out.className = '';
      selected = r.json.id;
      userSelected = true;
      $('spec').value = sample();
      refresh();
    } else {
      out.textContent = r.status + ': ' + r.json.error;
      out.className = 'error';
    }
  } catch (e) {
    out.textContent = String(e.message || e);
    out.className = 'error';
  }
}

function sample() {
  const id = 'web-' + Math.random().toString(36).slice(2, 8);
  return JSON.stringify({ id, tasks: [
    { id: 'a', kernel: 'spin', params: { work: 300 } },
    { id: 'b', kernel: 'spin', params: { work: 300 } },
    { id: 'c', kernel: 'spin', params: { work: 300 } },
    { id: 'sum', kernel: 'noop', inputs: { a: 'a', b: 'b', c: 'c' } },
  ] }, null, 2);
}

$('token-save').addEventListener('click', () => {
  localStorage.setItem('colony-token', $('token').value);
  $('token-bar').hidden = true;
  refresh();
});
$('submit').addEventListener('click', submit);
$('spec').value = sample();
refresh();
setInterval(refresh, POLL_MS);
