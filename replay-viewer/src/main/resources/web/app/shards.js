import { el, table } from './dom.js';
import * as api from './api.js';
import { time, bytes } from './format.js';

export async function shardsView() {
  const shards = await api.get('/api/shards');
  return {
    node: el('section', { class: 'screen', id: 'shards' }, el('h1', {}, 'Shards'),
      table(['directory', 'component', 'node', 'documents', 'size', 'last commit', 'writer counters'], shards.map(s => el('tr', {},
        el('td', {}, s.directory), el('td', {}, s.component), el('td', {}, s.node), el('td', { class: 'num' }, String(s.documents)),
        el('td', { class: 'num' }, bytes(s.bytes)), el('td', { class: 'time' }, time(s.committedAt)),
        el('td', {}, Object.entries(s.counters || {}).map(([k, v]) => k + ' ' + v).join(' · ')))), 'records')),
  };
}
