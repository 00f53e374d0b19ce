import { el, clear } from './dom.js';
import * as api from './api.js';
import { time, ms, short, count } from './format.js';
import { activityChart } from './chart.js';

const MAX_LANES = 12;

// By parsed time, not by string: "…:50Z" and "…:50.010Z" do not sort as text. A finding comes right
// after the records it names that share its time (the exchange or event that triggered it), not
// before them by id; one naming none of those comes after the other records of its time.
export function byTime(items) {
  const at = r => { const t = Date.parse(r.time); return isNaN(t) ? 0 : t; };
  const order = (a, b) => at(a) - at(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const records = items.filter(r => r.kind !== 'finding').sort(order);
  const findings = items.filter(r => r.kind === 'finding').sort(order);
  const index = new Map(records.map((r, i) => [r.id, i]));
  const after = new Map(); // position in records -> findings placed right after it
  const first = [];        // findings before every record
  for (const f of findings) {
    const t = at(f);
    let pos = -1;
    for (const id of f.recordIds || []) {
      const i = index.get(id);
      if (i !== undefined && at(records[i]) === t && i > pos) pos = i;
    }
    if (pos < 0) {
      // No named record at its time: after every record up to and including its time.
      let lo = 0, hi = records.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (at(records[mid]) <= t) lo = mid + 1; else hi = mid; }
      pos = lo - 1;
    }
    if (pos < 0) first.push(f);
    else (after.get(pos) || after.set(pos, []).get(pos)).push(f);
  }
  const out = [...first];
  records.forEach((r, i) => { out.push(r); if (after.has(i)) out.push(...after.get(i)); });
  return out;
}

// Which tokens a row touches, and how: 'use' (presented), 'issue' (minted), 'spend' (refresh token consumed).
function marks(r) {
  const m = new Map();
  if (r.kind === 'exchange') (r.tokens || []).forEach(t => t.id && m.set(t.id, 'use'));
  else {
    if (r.refreshTokenId) m.set(r.refreshTokenId, r.type === 'REFRESHED' ? 'spend' : (r.type === 'ISSUED' ? 'issue' : 'use'));
    if (r.accessTokenId) m.set(r.accessTokenId, ['ISSUED', 'REFRESHED', 'EXCHANGED'].includes(r.type) ? 'issue' : 'use');
    if (r.newRefreshTokenId) m.set(r.newRefreshTokenId, 'issue');
  }
  return m;
}

// The refresh chain: which access (and rotated refresh) token came from which refresh token.
function chain(items) {
  const links = [];
  for (const r of items) {
    if (r.kind !== 'event') continue;
    if (r.type === 'ISSUED' && (r.accessTokenId || r.refreshTokenId))
      links.push([time(r.time), 'issued', r.accessTokenId, r.refreshTokenId, r.client]);
    if (r.type === 'REFRESHED')
      links.push([time(r.time), 'refresh ' + short(r.refreshTokenId, 8) + ' →', r.accessTokenId, r.newRefreshTokenId, r.client]);
  }
  return links;
}

export async function timelineView(key) {
  const started = performance.now();
  const t = await api.get('/api/timeline', { key, size: 1000 });
  const fetched = performance.now();
  const items = byTime(t.items);

  const lanes = [];
  for (const r of items) for (const id of marks(r).keys()) if (!lanes.includes(id)) lanes.push(id);
  const shown = lanes.slice(0, MAX_LANES);
  const kindOf = new Map();
  for (const r of items) if (r.kind === 'event') {
    if (r.accessTokenId) kindOf.set(r.accessTokenId, 'access');
    if (r.refreshTokenId) kindOf.set(r.refreshTokenId, 'refresh');
    if (r.newRefreshTokenId) kindOf.set(r.newRefreshTokenId, 'refresh');
  }

  const enc = encodeURIComponent(t.key);
  const header = el('div', { class: 'tl-head' },
    el('h1', {}, 'Timeline'),
    el('p', {}, el('span', { class: 'muted' }, t.resolvedAs + ' '), el('code', { id: 'tl-key' }, t.key)),
    el('p', { class: 'muted', id: 'tl-counts' }, count(items.length, 'record') + (t.nextCursor ? ' (first page; export for all)' : '') + ' · ' +
      count(t.tokenIds.length, 'token') + ' · ' + count(t.sessionIds.length, 'session')),
    el('div', { class: 'actions' },
      el('a', { class: 'button', id: 'export-har', href: '/api/export/har?key=' + enc, download: 'tokentrail.har' }, 'Export HAR'),
      el('a', { class: 'button', id: 'export-json', href: '/api/export/json?key=' + enc, download: 'tokentrail.json' }, 'Export JSON')),
    t.sessionIds.length ? el('p', {}, 'Sessions: ', t.sessionIds.map(s => [el('a', { href: '#/timeline/' + encodeURIComponent(s) }, short(s, 13)), ' '])) : null);

  const links = chain(items);
  const chainNode = links.length ? el('div', { class: 'chain', id: 'refresh-chain' }, el('h2', {}, 'Token chain'),
    el('ol', {}, links.map(([when, what, access, refresh, client]) => el('li', {},
      el('span', { class: 'time' }, when), ' ', what, ' access ',
      access ? el('a', { href: '#/timeline/' + encodeURIComponent(access), class: 'lane-id' }, short(access, 10)) : '–',
      refresh ? [', refresh ', el('a', { href: '#/timeline/' + encodeURIComponent(refresh), class: 'lane-id' }, short(refresh, 10))] : null,
      client ? el('span', { class: 'muted' }, ' (' + client + ')') : null)))) : null;

  const symbol = { use: '●', issue: '◆', spend: '↻' };
  const rows = items.map(r => {
    const m = marks(r);
    const open = r.kind === 'exchange' ? '#/exchange/' + encodeURIComponent(r.id)
      : r.kind === 'finding' ? '#/finding/' + encodeURIComponent(r.id) : '#/record/' + encodeURIComponent(r.id);
    if (r.kind === 'finding') {
      // A finding: its own row, marked, with the rule's explanation on hover and in the detail it opens.
      return el('tr', { class: 'row finding sev-' + r.severity, 'data-id': r.id, title: r.explanation || '' },
        el('td', { class: 'time' }, time(r.time)),
        shown.map((id, i) => el('td', { class: 'lane lane' + (i % 6) + (id === r.tokenId ? ' on' : '') }, id === r.tokenId ? '⚑' : '')),
        el('td', {}, el('a', { href: open, class: 'open' }, '⚑ ' + r.rule)),
        el('td', { class: 'what' }, el('span', { class: 'summary' }, r.summary || ''), ' ', el('span', { class: 'muted explanation' }, r.explanation || '')),
        el('td', { class: 'status severity' }, r.severity),
        el('td', { class: 'num' }, ''),
        el('td', { class: 'peer' }, r.peer || ''),
        el('td', { class: 'who' }, r.user || ''));
    }
    return el('tr', { class: 'row ' + r.kind + (r.error ? ' err' : ''), 'data-id': r.id },
      el('td', { class: 'time' }, time(r.time)),
      shown.map((id, i) => el('td', { class: 'lane lane' + (i % 6) + (m.has(id) ? ' on' : ''), title: m.has(id) ? m.get(id) + ' ' + id : '' }, m.has(id) ? symbol[m.get(id)] : '')),
      el('td', {}, el('a', { href: open, class: 'open' }, r.kind === 'exchange' ? (r.method || '?') : r.type)),
      el('td', { class: 'what' }, r.kind === 'exchange' ? [el('span', { class: 'path' }, r.path || ''), r.query ? el('span', { class: 'query' }, '?' + r.query) : null] : el('span', { class: 'muted' }, r.eventName || '')),
      el('td', { class: 'status' }, r.kind === 'exchange' ? String(r.status) : (r.errorCode || '')),
      el('td', { class: 'num' }, ms(r.latencyMs)),
      el('td', { class: 'peer' }, r.peer || r.ip || ''),
      el('td', { class: 'who' }, r.user || (r.tokens && r.tokens[0] && r.tokens[0].sub) || r.client || ''));
  });
  const laneHeads = shown.map((id, i) => el('th', { class: 'lane lane' + (i % 6), title: (kindOf.get(id) || 'token') + ' ' + id },
    el('a', { href: '#/timeline/' + encodeURIComponent(id) }, ({ access: 'A', refresh: 'R' }[kindOf.get(id)] || 'T') + (i + 1))));
  const tableNode = el('table', { class: 'records timeline', id: 'timeline-table' },
    el('thead', {}, el('tr', {}, el('th', {}, 'time (UTC)'), laneHeads, ['what', '', 'status', 'latency', 'peer / ip', 'user'].map(h => el('th', {}, h)))),
    el('tbody', {}, rows));
  const nFindings = items.filter(r => r.kind === 'finding').length;
  const legend = el('p', { class: 'muted legend' }, '● token presented  ◆ token issued  ↻ refresh token spent  ⚑ finding',
    nFindings ? el('span', { class: 'findings-count' }, ' · ' + count(nFindings, 'finding')) : '',
    lanes.length > MAX_LANES ? ' · ' + count(lanes.length - MAX_LANES, 'more token', 'more tokens') + ' not shown as lanes' : '');

  const container = el('section', { class: 'screen', id: 'timeline' }, header);
  const chartHolder = el('div', { class: 'chart-holder' });
  container.append(chartHolder);
  if (chainNode) container.append(chainNode);
  container.append(legend, tableNode);
  // The chart needs a width: draw it once the section is in the document.
  requestAnimationFrame(() => {
    clear(chartHolder).append(activityChart(items, container.clientWidth - 20));
    requestAnimationFrame(() => {
      container.setAttribute('data-count', String(items.length));
      container.setAttribute('data-fetch-ms', String(Math.round(fetched - started)));
      container.setAttribute('data-rendered-ms', String(Math.round(performance.now() - started)));
    });
  });
  return { node: container };
}
