import { el } from './dom.js';
import * as api from './api.js';
import { time, ms, short, count } from './format.js';

// Kept in memory only: a pasted token must not reach the URL, history or storage.
let last = { q: '', range: '24h', from: '', to: '', result: null };

const RANGES = { '15m': 15 * 60e3, '1h': 3600e3, '24h': 24 * 3600e3, '7d': 7 * 24 * 3600e3, 'all': null, 'custom': null };

function openHref(r) {
  const id = encodeURIComponent(r.id);
  return r.kind === 'exchange' ? '#/exchange/' + id : r.kind === 'finding' ? '#/finding/' + id : '#/record/' + id;
}

// What a row is, as text: the request line, the IdP event, or a finding's rule and severity (then its summary).
function whatOf(r) {
  if (r.kind === 'exchange') {
    return [el('span', { class: 'method' }, r.method || ''), ' ', el('span', { class: 'path' }, r.path || ''), r.query ? el('span', { class: 'query' }, '?' + r.query) : null];
  }
  if (r.kind === 'finding') {
    return [el('span', { class: 'rule' }, '⚑ ' + (r.rule || '')), ' ', el('span', { class: 'severity sev-' + (r.severity || '') }, r.severity || ''),
      r.summary ? [' ', el('span', { class: 'muted summary' }, r.summary)] : null];
  }
  return [el('span', { class: 'etype' }, r.type || ''), ' ', el('span', { class: 'muted' }, r.eventName || '')];
}

export function rowFor(r) {
  const token = r.kind === 'exchange' ? (r.tokens && r.tokens[0] && r.tokens[0].id)
    : r.kind === 'finding' ? (r.tokenId || (r.fingerprint ? 'fingerprint:' + r.fingerprint : null)) : (r.accessTokenId || r.refreshTokenId);
  const cls = r.kind === 'finding' ? 'row finding sev-' + r.severity : 'row ' + r.kind + (r.error ? ' err' : '');
  return el('tr', { class: cls, 'data-id': r.id },
    el('td', { class: 'time' }, time(r.time)),
    el('td', {}, el('a', { href: openHref(r), class: 'open' }, r.kind)),
    el('td', { class: 'what' }, whatOf(r)),
    el('td', { class: 'status' }, r.kind === 'exchange' ? String(r.status) : (r.errorCode || '')),
    el('td', { class: 'num' }, ms(r.latencyMs)),
    el('td', { class: 'peer' }, r.peer || r.ip || ''),
    el('td', { class: 'who' }, r.user || (r.tokens && r.tokens[0] && r.tokens[0].sub) || r.client || ''),
    el('td', {}, token ? el('a', { href: '#/timeline/' + encodeURIComponent(token), title: token }, short(token, 12)) : ''));
}

export function resultsTable(items) {
  return el('table', { class: 'records' },
    el('thead', {}, el('tr', {}, ['time (UTC)', 'kind', 'what', 'status', 'latency', 'peer / ip', 'user', 'token'].map(h => el('th', {}, h)))),
    el('tbody', {}, items.map(rowFor)));
}

export function searchView() {
  const q = el('input', { id: 'q', type: 'search', placeholder: 'Paste a token, or a jti, session id, user, client, IP or words', autocomplete: 'off', spellcheck: 'false', value: last.q });
  const range = el('select', { id: 'range', 'aria-label': 'time range' },
    Object.keys(RANGES).map(k => el('option', { value: k, selected: k === last.range }, k === 'all' ? 'all time' : k === 'custom' ? 'custom…' : 'last ' + k)));
  const from = el('input', { id: 'from', type: 'datetime-local', 'aria-label': 'from (UTC)', value: last.from });
  const to = el('input', { id: 'to', type: 'datetime-local', 'aria-label': 'to (UTC)', value: last.to });
  const custom = el('span', { class: 'custom' + (last.range === 'custom' ? '' : ' hidden') }, ' from ', from, ' to ', to, ' UTC');
  range.addEventListener('change', () => custom.classList.toggle('hidden', range.value !== 'custom'));
  const out = el('div', { id: 'results' });
  const status = el('p', { class: 'muted', id: 'search-status' });

  async function run(ev) {
    if (ev) ev.preventDefault();
    last = { ...last, q: q.value, range: range.value, from: from.value, to: to.value };
    const body = { q: q.value.trim(), size: 200 };
    if (RANGES[range.value]) body.from = new Date(Date.now() - RANGES[range.value]).toISOString();
    if (range.value === 'custom') {
      if (from.value) body.from = new Date(from.value + 'Z').toISOString();
      if (to.value) body.to = new Date(to.value + 'Z').toISOString();
    }
    status.textContent = 'Searching…';
    try {
      const res = await api.post('/api/search', body);
      last.result = res;
      show(res);
    } catch (e) {
      status.textContent = 'Error: ' + e.message;
    }
  }

  async function openTimeline() {
    const key = q.value.trim();
    if (!key) return;
    try {
      // POST: the reader resolves a raw token to its fingerprint; only that goes into the URL.
      const t = await api.post('/api/timeline', { key, size: 1 });
      location.hash = '#/timeline/' + encodeURIComponent(t.key);
    } catch (e) {
      status.textContent = 'Error: ' + e.message;
    }
  }

  function show(res) {
    const total = res.totalHits + (res.totalExact ? '' : '+');
    status.textContent = res.items.length + ' shown of ' + total + ' matching ' + (total === '1' ? 'record' : 'records');
    out.replaceChildren(resultsTable(res.items));
  }

  const form = el('form', { class: 'search', onsubmit: run }, q, range, custom,
    el('button', { type: 'submit', id: 'search-btn' }, 'Search'),
    el('button', { type: 'button', id: 'timeline-btn', onclick: openTimeline }, 'Timeline of this key'));
  if (last.result) show(last.result);
  return { node: el('section', { class: 'screen' }, el('h1', {}, 'Search'), form, status, out) };
}
