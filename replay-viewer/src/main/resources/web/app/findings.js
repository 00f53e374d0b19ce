// Findings: the list (newest first) and one finding with its explanation and replay window.
import { el, clear, table } from './dom.js';
import * as api from './api.js';
import { time, short, count } from './format.js';
import { byTime } from './timeline.js';

const RULES = ['', 'USE_AFTER_LOGOUT', 'USE_AFTER_REVOKE', 'USE_AFTER_EXPIRY', 'UNKNOWN_TOKEN', 'TOKEN_SPREAD',
  'REFRESH_REUSE', 'BURST', 'AUTH_FAILURE_STORM', 'CLIENT_MISMATCH', 'UNSIGNED_TOKEN'];
const SEVERITIES = ['', 'CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];

function who(f) {
  return [f.tokenId ? 'token ' + short(f.tokenId, 13) : (f.fingerprint ? 'fingerprint ' + short(f.fingerprint, 10) : null),
    f.sessionId ? 'session ' + short(f.sessionId, 13) : null, f.user ? 'user ' + f.user : null,
    f.peer ? 'peer ' + f.peer : null].filter(Boolean).join(' · ');
}

export async function findingsView() {
  const rule = el('select', { id: 'f-rule', 'aria-label': 'rule' }, RULES.map(r => el('option', { value: r }, r || 'any rule')));
  const sev = el('select', { id: 'f-severity', 'aria-label': 'severity' }, SEVERITIES.map(s => el('option', { value: s }, s || 'any severity')));
  const out = el('div', { id: 'findings-results' });
  async function load() {
    const res = await api.get('/api/findings', { rule: rule.value, severity: sev.value, size: 500 });
    const rows = res.items.map(f => el('tr', { class: 'row finding sev-' + f.severity, 'data-id': f.id },
      el('td', { class: 'time' }, time(f.time)),
      el('td', { class: 'rule' }, el('a', { href: '#/finding/' + encodeURIComponent(f.id), class: 'open' }, f.rule)),
      el('td', { class: 'severity' }, f.severity),
      el('td', { class: 'what summary' }, f.summary || ''),
      el('td', { class: 'who' }, who(f)),
      el('td', {}, el('a', { href: '#/finding/' + encodeURIComponent(f.id), class: 'replay' }, 'replay window'),
        f.key ? [' · ', el('a', { href: '#/timeline/' + encodeURIComponent(f.key), class: 'timeline-link' }, 'timeline')] : null)));
    clear(out).append(
      el('p', { class: 'muted', id: 'findings-count' }, count(res.items.length, 'finding') + (res.nextCursor ? ' (newest ' + res.items.length + ' shown)' : '') +
        (res.watermark ? ' · evaluated up to ' + time(res.watermark) : '')),
      rows.length ? table(['time (UTC)', 'rule', 'severity', 'summary', 'token / session / peer', ''], rows, 'records findings')
        : el('p', { class: 'muted' }, 'No findings.'));
  }
  rule.addEventListener('change', load);
  sev.addEventListener('change', load);
  await load();
  return {
    node: el('section', { class: 'screen', id: 'findings' }, el('h1', {}, 'Findings'),
      el('p', { class: 'muted' }, 'Rules run on every newly committed record. Each finding links to what happened around it.'),
      el('div', { class: 'actions' }, rule, sev), out),
  };
}

function field(label, value) {
  return el('tr', {}, el('th', {}, label), el('td', {}, value == null || value === '' ? el('span', { class: 'muted' }, '–') : value));
}

export async function findingView(id) {
  const f = await api.get('/api/findings/' + encodeURIComponent(id));
  const before = Math.max(0, (Date.parse(f.time) - Date.parse(f.windowFrom || f.time)) / 1000);
  const after = Math.max(0, (Date.parse(f.windowTo || f.time) - Date.parse(f.time)) / 1000);
  const triggering = new Set(f.recordIds || []);
  const win = el('div', { id: 'finding-window' }, el('p', { class: 'muted' }, 'Loading…'));
  if (f.key) {
    api.get('/api/around', { key: f.key, time: f.time, before: 'PT' + Math.round(before) + 'S', after: 'PT' + Math.round(after) + 'S', size: 500 })
      .then(res => {
        const rows = byTime(res.items).map(r => el('tr', { class: 'row ' + r.kind + (r.error ? ' err' : '') + (triggering.has(r.id) || r.id === f.id ? ' current' : ''), 'data-id': r.id },
          el('td', { class: 'time' }, time(r.time)),
          el('td', {}, el('a', { class: 'open', href: r.kind === 'exchange' ? '#/exchange/' + encodeURIComponent(r.id)
            : (r.kind === 'finding' ? '#/finding/' + encodeURIComponent(r.id) : '#/record/' + encodeURIComponent(r.id)) },
            r.kind === 'exchange' ? (r.method || '?') : (r.kind === 'finding' ? '⚑ ' + r.rule : r.type))),
          el('td', { class: 'what' }, r.kind === 'exchange' ? (r.path || '') : (r.kind === 'finding' ? r.summary : (r.eventName || ''))),
          el('td', { class: 'status' }, r.kind === 'exchange' ? String(r.status) : (r.errorCode || '')),
          el('td', { class: 'peer' }, r.peer || r.ip || '')));
        clear(win).append(
          el('p', { class: 'muted' }, count(res.items.length, 'record') + ' of ' + res.resolvedAs.toLowerCase() + ' ', el('code', {}, res.key),
            ' from ' + time(f.windowFrom) + ' to ' + time(f.windowTo) + '; the records that triggered the finding are highlighted.'),
          table(['time (UTC)', 'what', '', 'status', 'peer / ip'], rows, 'records around'));
      })
      .catch(e => clear(win).append(el('p', { class: 'error' }, 'Error: ' + e.message)));
  } else {
    clear(win).append(el('p', { class: 'muted' }, 'This finding names no token, session, user or peer to follow.'));
  }
  return {
    node: el('section', { class: 'screen', id: 'finding' },
      el('h1', {}, '⚑ ', el('span', { id: 'finding-rule' }, f.rule), ' ', el('span', { class: 'severity sev-' + f.severity }, f.severity)),
      el('p', { id: 'finding-summary', class: 'summary' }, f.summary || ''),
      el('p', { class: 'explanation', id: 'finding-explanation' }, f.explanation || ''),
      table([], [field('time', time(f.time)), field('token', f.tokenId), field('fingerprint', f.fingerprint), field('session', f.sessionId),
        field('user', f.user), field('peer', f.peer), field('records', (f.recordIds || []).map(r => [el('code', {}, r), ' '])),
        field('id', el('code', {}, f.id)),
        field('timeline', f.key ? el('a', { href: '#/timeline/' + encodeURIComponent(f.key), id: 'finding-timeline' }, f.key) : null)], 'fields'),
      el('section', { class: 'around' }, el('h2', {}, 'Replay window'), win)),
  };
}
