import { el, markedText, table } from './dom.js';
import * as api from './api.js';
import { time, ms, short, bytes, prettyJson, looksJson, count } from './format.js';
import { resultsTable } from './search.js';
import { byTime } from './timeline.js';

const PRETTY_LIMIT = 256 * 1024;

function headersTable(hs, id) {
  if (!hs || !hs.length) return el('p', { class: 'muted' }, 'none');
  return table(['name', 'value'], hs.map(h => el('tr', {},
    el('td', { class: 'hname' }, h.name), el('td', { class: 'hvalue' }, markedText(h.value)))), 'headers ' + id);
}

function bodyNode(b, id) {
  if (!b || b.form === 'NONE') return el('p', { class: 'muted', id }, 'no body');
  const meta = el('p', { class: 'muted' }, [b.contentType || 'no content type', b.contentEncoding ? ' · ' + b.contentEncoding : '',
    ' · ', bytes(b.originalSize), ' on the wire'].join(''));
  if (b.form === 'OMITTED' || b.text == null) {
    return el('div', { id }, meta, el('p', { class: 'notice' }, 'Body not stored (binary, compressed or disabled by configuration): only its size and type were kept.'));
  }
  const text = looksJson(b.contentType, b.text) && b.text.length <= PRETTY_LIMIT ? prettyJson(b.text) : b.text;
  return el('div', { id }, meta,
    b.truncated ? el('p', { class: 'notice truncated' }, 'Truncated at capture: showing ' + count(b.text.length, 'character') + ' of ' + bytes(b.originalSize) + '.') : null,
    el('pre', { class: 'body' }, markedText(text)));
}

function field(label, value) {
  return el('tr', {}, el('th', {}, label), el('td', {}, value == null || value === '' ? el('span', { class: 'muted' }, '–') : value));
}

function tokenLinks(tokens) {
  return (tokens || []).map(t => el('div', { class: 'token' },
    el('a', { href: '#/timeline/' + encodeURIComponent(t.jti || ('fingerprint:' + t.fingerprint)) }, t.jti ? 'jti ' + t.jti : 'fingerprint ' + t.fingerprint),
    ' ', el('span', { class: 'muted' }, [t.kind, t.typ, t.alg, t.unsigned ? 'UNSIGNED' : null, t.sub ? 'sub ' + t.sub : null,
      t.clientId ? 'client ' + t.clientId : null, t.sid ? 'sid ' + short(t.sid, 13) : null, t.exp ? 'exp ' + time(t.exp) : null].filter(Boolean).join(' · '))));
}

function replayWindow(id) {
  const by = el('select', { id: 'around-by', 'aria-label': 'follow' }, ['token', 'session', 'peer', 'user', 'client'].map(k => el('option', { value: k }, 'same ' + k)));
  const minutes = el('select', { id: 'around-minutes', 'aria-label': 'minutes' }, [1, 5, 15, 60].map(m => el('option', { value: m, selected: m === 5 }, '± ' + m + ' min')));
  const out = el('div', { id: 'around-results' });
  async function load() {
    out.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
    try {
      const d = 'PT' + minutes.value + 'M';
      const res = await api.get('/api/around', { id, by: by.value, before: d, after: d, size: 200 });
      const tableNode = resultsTable(byTime(res.items));
      tableNode.querySelectorAll('tr[data-id]').forEach(tr => { if (tr.getAttribute('data-id') === id) tr.classList.add('current'); });
      out.replaceChildren(el('p', { class: 'muted' }, count(res.items.length, 'record') + ' of ' + res.resolvedAs + ' ' + res.key), tableNode);
    } catch (e) {
      out.replaceChildren(el('p', { class: 'muted' }, e.message));
    }
  }
  by.addEventListener('change', load);
  minutes.addEventListener('change', load);
  load();
  return el('section', { class: 'around' }, el('h2', {}, 'Replay window'), el('p', {}, 'What the ', by, ' did ', minutes, ' around this exchange'), out);
}

export async function exchangeView(id) {
  const x = await api.get('/api/exchange/' + encodeURIComponent(id));
  const url = (x.scheme || 'http') + '://' + (x.host || '?') + (x.path || '/') + (x.query ? '?' + x.query : '');
  const curlOut = el('pre', { class: 'curl hidden', id: 'curl' });
  async function showCurl() {
    curlOut.textContent = await api.text('/api/export/curl/' + encodeURIComponent(id));
    curlOut.classList.remove('hidden');
  }
  const summary = el('table', { class: 'fields' }, el('tbody', {},
    field('time (UTC)', time(x.time)),
    field('request', [el('span', { class: 'method' }, x.method || ''), ' ', el('span', { class: 'url' }, markedText(url))]),
    field('status', String(x.status)),
    field('latency', x.latency ? x.latency : ''),
    field('peer', x.peer),
    field('X-Forwarded-For', (x.forwardedFor || []).join(', ') + ((x.forwardedFor || []).length ? ' (as sent; not trusted)' : '')),
    field('user agent', x.userAgent ? el('div', { class: 'long' }, x.userAgent) : ''),
    field('API / plan / app', [x.api, x.plan, x.application].filter(Boolean).join(' / ')),
    field('ids', [x.id, x.transactionId ? 'tx ' + x.transactionId : null, x.node ? 'node ' + x.node : null].filter(Boolean).join(' · ')),
    field('traceparent', x.traceparent),
    field('tokens', x.tokens && x.tokens.length ? tokenLinks(x.tokens) : '')));
  return {
    node: el('section', { class: 'screen', id: 'exchange' },
      el('h1', {}, 'Exchange'),
      el('div', { class: 'actions' },
        el('button', { type: 'button', id: 'curl-btn', onclick: showCurl }, 'cURL'),
        el('a', { class: 'button', href: '/api/record/' + encodeURIComponent(id), download: 'exchange.json' }, 'JSON')),
      curlOut, summary,
      el('p', { class: 'muted' }, 'Values marked ', el('span', { class: 'masked masked' }, '«masked:…»'), ' were replaced at capture; ',
        el('span', { class: 'masked token' }, '«token:…»'), ' is a credential\'s fingerprint.'),
      el('div', { class: 'two' },
        el('div', {}, el('h2', {}, 'Request headers'), headersTable(x.requestHeaders, 'req'), el('h2', {}, 'Request body'), bodyNode(x.requestBody, 'req-body')),
        el('div', {}, el('h2', {}, 'Response headers'), headersTable(x.responseHeaders, 'res'), el('h2', {}, 'Response body'), bodyNode(x.responseBody, 'res-body'))),
      replayWindow(id)),
  };
}

export async function recordView(id) {
  const r = await api.get('/api/record/' + encodeURIComponent(id));
  if (r.kind === 'exchange') { location.replace('#/exchange/' + encodeURIComponent(id)); return null; }
  const rows = Object.entries(r).filter(([k]) => k !== 'details' && k !== 'kind').map(([k, v]) => {
    const linkable = ['accessTokenId', 'refreshTokenId', 'newRefreshTokenId', 'sessionId', 'userId', 'clientId', 'ip'].includes(k);
    return field(k, linkable && v ? el('a', { href: '#/timeline/' + encodeURIComponent(v) }, String(v)) : String(v));
  });
  const details = Object.entries(r.details || {}).map(([k, v]) => el('tr', {}, el('td', { class: 'hname' }, k), el('td', {}, markedText(v))));
  return {
    node: el('section', { class: 'screen', id: 'event' }, el('h1', {}, 'Identity provider event'),
      el('table', { class: 'fields' }, el('tbody', {}, rows)),
      el('h2', {}, 'Details'), details.length ? table(['name', 'value'], details, 'headers') : el('p', { class: 'muted' }, 'none')),
  };
}
