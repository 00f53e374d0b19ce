import { el } from './dom.js';
import { rowFor } from './search.js';
import { time, count } from './format.js';

const MAX_ROWS = 500;

export function tailView() {
  const body = el('tbody', { id: 'tail-rows' });
  const status = el('p', { class: 'muted', id: 'tail-status' }, 'Connecting…');
  const source = new EventSource('/api/tail');
  source.addEventListener('open', () => { status.textContent = 'Live: new exchanges and events appear at the top as they are indexed.'; });
  source.addEventListener('error', () => { status.textContent = 'Disconnected; retrying…'; });
  source.addEventListener('record', ev => {
    let r;
    try { r = JSON.parse(ev.data); } catch { return; }
    body.prepend(rowFor(r));
    while (body.childElementCount > MAX_ROWS) body.lastElementChild.remove();
  });
  // The server sends at most its cap per poll and counts the rest: say so where the rows would be,
  // so a gap in the tail is never mistaken for quiet.
  source.addEventListener('skipped', ev => {
    let s;
    try { s = JSON.parse(ev.data); } catch { return; }
    const n = Number(s.skipped);
    const text = count(n, 'record')
      + ' arrived too fast to show (' + time(s.from) + ' to ' + time(s.to) + ' UTC); search the time range';
    body.prepend(el('tr', { class: 'skipped', 'data-skipped': String(n) },
      el('td', { colspan: 8, class: 'skipped' }, text)));
    while (body.childElementCount > MAX_ROWS) body.lastElementChild.remove();
  });
  const tableNode = el('table', { class: 'records' },
    el('thead', {}, el('tr', {}, ['time (UTC)', 'kind', 'what', 'status', 'latency', 'peer / ip', 'user', 'token'].map(h => el('th', {}, h)))), body);
  return { node: el('section', { class: 'screen', id: 'tail' }, el('h1', {}, 'Live tail'), status, tableNode), cleanup: () => source.close() };
}
