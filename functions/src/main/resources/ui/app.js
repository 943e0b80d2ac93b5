// Tabrunner's dashboard: plain DOM, no framework, no inline script (the page's CSP forbids it). The API key lives
// in this tab's sessionStorage only and goes out in the Authorization header of this origin's API calls. Every
// value shown comes from the API and is set as text, never as HTML.
'use strict';

const KEY = 'tabrunner.key';
const view = document.getElementById('view');

function key() {
  return sessionStorage.getItem(KEY);
}

async function api(path, options = {}) {
  const headers = Object.assign({ Authorization: 'Bearer ' + key() }, options.headers || {});
  const response = await fetch(path, Object.assign({}, options, { headers }));
  if (response.status === 401) {
    sessionStorage.removeItem(KEY);
    route();
    throw new Error('signed out');
  }
  return response;
}

async function json(path, options) {
  const r = await api(path, options);
  const body = await r.json().catch(() => ({}));
  return { status: r.status, body };
}

/** An element with text and children; attributes by name. */
function el(tag, attributes = {}, ...children) {
  const e = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null) continue;
    if (name === 'text') e.textContent = value;
    else if (name === 'onclick') e.addEventListener('click', value);
    else e.setAttribute(name, value);
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

function show(...nodes) {
  view.replaceChildren(...nodes.filter(Boolean));
}

function table(headers, rows) {
  return el('table', {}, el('thead', {}, el('tr', {}, ...headers.map(h => el('th', { text: h })))),
    el('tbody', {}, ...rows));
}

function row(cells, href) {
  const tr = el('tr', href ? { class: 'link', 'data-href': href } : {},
    ...cells.map(c => c instanceof Node ? el('td', {}, c) : el('td', { text: c == null ? '' : String(c) })));
  if (href) tr.addEventListener('click', () => { location.hash = href; });
  return tr;
}

function age(iso) {
  if (!iso) return '';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 120 ? s + ' s' : s < 7200 ? Math.round(s / 60) + ' min' : Math.round(s / 3600) + ' h';
}

function seconds(ms) {
  return ms == null ? '' : (ms / 1000).toFixed(1) + ' s';
}

/** An image the API serves behind the key: fetched with it, shown from a blob URL. */
function image(url, alt) {
  const img = el('img', { alt });
  api(url).then(r => r.ok ? r.blob() : null).then(b => { if (b) img.src = URL.createObjectURL(b); });
  return img;
}

/** A file the API serves behind the key, downloaded through a blob URL. */
function download(url, name) {
  return el('a', { href: '#', text: name, onclick: async event => {
    event.preventDefault();
    const r = await api(url);
    const a = el('a', { href: URL.createObjectURL(await r.blob()), download: name });
    a.click();
  } });
}

async function tasks() {
  const { status, body } = await json('browser/tasks?limit=100');
  if (status !== 200) return show(el('p', { class: 'error', text: 'Could not list tasks (' + status + ')' }));
  show(el('h1', { text: 'Tasks' }), table(
    ['created', 'dialect', 'kind', 'status', 'duration', 'cost (USD)', 'created by', 'error'],
    body.tasks.map(t => row([age(t.createdAt) + ' ago', t.dialect, t.kind,
      el('span', { class: 'status-' + t.status, text: t.status }), seconds(t.durationMs),
      t.cost == null ? '' : t.cost.toFixed(4), t.createdBy, t.errorCode], '#/task/' + t.sessionId + '/' + t.taskId))));
}

async function sessions() {
  const { status, body } = await json('browser/sessions?limit=100');
  if (status !== 200) return show(el('p', { class: 'error', text: 'Could not list sessions (' + status + ')' }));
  show(el('h1', { text: 'Sessions' }), table(['id', 'status', 'URL', 'age', 'environment'],
    body.sessions.map(s => row([s.id, s.status, s.currentUrl, age(s.createdAt), s.environmentId]))));
}

async function keys() {
  const { status, body } = await json('admin/api-keys');
  if (status !== 200) return show(el('p', { class: 'error', text: 'Admin keys only (' + status + ')' }));
  show(el('h1', { text: 'API keys' }), table(['id', 'tenant', 'role', 'name', 'created', 'last used'],
    body.keys.map(k => row([k.id, k.tenantId, k.role, k.name, k.createdAt, k.lastUsedAt || 'never']))));
}

async function credentials() {
  const { status, body } = await json('browser/credentials');
  if (status !== 200) return show(el('p', { class: 'error', text: 'Admin keys only (' + status + ')' }));
  show(el('h1', { text: 'Credentials' }), table(['id', 'kind', 'name', 'username', 'origins', 'TOTP', 'updated'],
    body.credentials.map(c => row([c.id, c.kind, c.name, c.username, (c.origins || []).join(' '),
      c.hasTotp ? 'yes' : 'no', c.updatedAt]))));
}

function scriptedTimeline(t) {
  const rows = (t.results || []).map((r, i) => row([String(i), r.type,
    el('pre', { text: JSON.stringify(r, null, 1) })]));
  const e = t.error;
  if (e && e.actionIndex != null) {
    const failed = row([String(e.actionIndex), e.actionType, e.code + ': ' + e.message]);
    failed.classList.add('failed-action');
    failed.setAttribute('id', 'failed-action');
    rows.push(failed);
  }
  return rows.length ? table(['#', 'action', 'result'], rows) : null;
}

function agentTimeline(t) {
  return el('div', {}, ...(t.steps || []).map(s => el('div', { class: 'step' },
    el('strong', { text: 'Step ' + s.step }), el('span', { class: 'muted', text: ' ' + (s.url || '') }),
    el('p', { text: s.reasoning || s.next_goal || '' }),
    el('ul', {}, ...(s.actions || []).map(a => el('li', { text: a.tool + ' ' + JSON.stringify(a.arguments || {})
      + ' → ' + (a.result || '') }))),
    s.screenshotUrl ? image(s.screenshotUrl, 'screenshot of step ' + s.step) : null)));
}

async function task(sessionId, taskId) {
  const path = 'browser/sessions/' + encodeURIComponent(sessionId) + '/tasks/' + encodeURIComponent(taskId);
  const { status, body: t } = await json(path);
  if (status !== 200) return show(el('p', { class: 'error', text: 'Task not found (' + status + ')' }));
  const links = el('p', { class: 'links' });
  if (t.liveViewUrl) links.append(el('a', { href: t.liveViewUrl, text: 'Live view', target: '_blank' }));
  if (t.replay && t.replay.length) {
    links.append(el('a', { href: '#/replay/' + sessionId + '/' + taskId, text: 'Replay', id: 'replay-link' }));
  }
  const e = t.error;
  const shots = (t.artifacts || []).filter(a => a.contentType === 'image/png');
  const data = t.data || {};
  const network = (t.network || []).slice(0, 200);
  show(
    el('h1', { text: 'Task ' + t.taskId }),
    el('p', {}, el('span', { class: 'status-' + t.status, text: t.status, id: 'task-status' }),
      el('span', { class: 'muted', text: ' · created ' + t.createdAt + (t.completedAt ? ' · ended ' + t.completedAt : '')
        + ' · session ' + t.sessionId })),
    links,
    e ? el('div', { class: 'failed-action' }, el('p', { text: e.code + ' (' + e.status + '): ' + e.message }),
      e.url ? el('p', { text: 'at ' + e.url }) : null) : null,
    t.taskDetails ? el('p', { text: t.taskDetails }) : null,
    el('h2', { text: 'Timeline' }),
    t.kind === 'agent' ? agentTimeline(t) : scriptedTimeline(t),
    shots.length ? el('h2', { text: 'Screenshots' }) : null,
    ...shots.map(a => el('div', { class: 'shot' }, el('span', { text: a.kind }), image(a.downloadUrl, a.kind))),
    data.message || data.output ? el('h2', { text: 'Output' }) : null,
    data.message ? el('p', { text: typeof data.message === 'string' ? data.message : JSON.stringify(data.message) })
      : null,
    data.output !== undefined && data.output !== null ? el('pre', { text: JSON.stringify(data.output, null, 2) })
      : null,
    (data.files || []).length || (t.artifacts || []).length ? el('h2', { text: 'Files' }) : null,
    el('ul', {}, ...(data.files || []).map(f => el('li', {}, download(f.downloadUrl, f.filename))),
      ...(t.artifacts || []).map(a => el('li', {}, download(a.downloadUrl, a.filename)))),
    network.length ? el('h2', { text: 'Network' }) : null,
    network.length ? table(['request', 'at', 'refused'], network.map(n => row([n.omitted != null
      ? n.omitted + ' more' : (n.method || 'GET') + ' ' + n.url, n.at, n.blocked ? (n.reason || 'yes') : '']))) : null);
}

async function replay(sessionId, taskId) {
  const path = 'browser/sessions/' + encodeURIComponent(sessionId) + '/tasks/' + encodeURIComponent(taskId);
  const { status, body: t } = await json(path);
  if (status !== 200 || !t.replay) return show(el('p', { class: 'error', text: 'No replay (' + status + ')' }));
  const result = el('p', { role: 'status' });
  const run = el('button', { type: 'button', id: 'run-replay', text: 'Run it again in a new session',
    onclick: async () => {
      run.disabled = true;
      const session = await json('browser/sessions', { method: 'POST', headers: { 'Content-Type':
        'application/json' }, body: '{}' });
      if (session.status !== 201) { result.textContent = 'Could not open a session (' + session.status + ')'; return; }
      const r = await json('browser/sessions/' + session.body.id + '/tasks', { method: 'POST',
        headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ actions: t.replay }) });
      if (r.body.taskId) location.hash = '#/task/' + session.body.id + '/' + r.body.taskId;
      else result.textContent = 'Refused (' + r.status + '): ' + JSON.stringify(r.body);
    } });
  show(el('h1', { text: 'Replay of task ' + taskId }),
    el('p', { text: 'The actions the agent ran, as a scripted task: running them needs no model.' }),
    el('pre', { id: 'replay-actions', text: JSON.stringify(t.replay, null, 2) }), run, result);
}

async function signedIn() {
  document.getElementById('signin').hidden = true;
  document.getElementById('nav').hidden = false;
  const admin = (await api('admin/api-keys')).status === 200;
  document.querySelectorAll('.admin').forEach(a => { a.hidden = !admin; });
}

async function route() {
  if (!key()) {
    document.getElementById('nav').hidden = true;
    document.getElementById('signin').hidden = false;
    view.replaceChildren();
    return;
  }
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  try {
    switch (parts[0]) {
      case 'sessions': return await sessions();
      case 'keys': return await keys();
      case 'credentials': return await credentials();
      case 'task': return await task(parts[1], parts[2]);
      case 'replay': return await replay(parts[1], parts[2]);
      default: return await tasks();
    }
  } catch (e) {
    if (e.message !== 'signed out') show(el('p', { class: 'error', text: String(e) }));
  }
}

document.getElementById('signin').addEventListener('submit', async event => {
  event.preventDefault();
  sessionStorage.setItem(KEY, document.getElementById('key').value.trim());
  document.getElementById('key').value = '';
  const r = await fetch('browser/tasks?limit=1', { headers: { Authorization: 'Bearer ' + key() } });
  if (r.status !== 200) {
    sessionStorage.removeItem(KEY);
    document.getElementById('signin-error').textContent = 'That key was refused (' + r.status + ').';
    return;
  }
  document.getElementById('signin-error').textContent = '';
  await signedIn();
  route();
});
document.getElementById('signout').addEventListener('click', () => {
  sessionStorage.removeItem(KEY);
  location.hash = '';
  route();
});
window.addEventListener('hashchange', route);
if (key()) signedIn().then(route); else route();
