import { el, markedText, table } from './dom.js';
import * as api from './api.js';
import { time } from './format.js';

export async function auditView() {
  const entries = await api.get('/api/audit', { limit: 500 });
  return {
    node: el('section', { class: 'screen', id: 'audit' }, el('h1', {}, 'Audit'),
      el('p', { class: 'muted' }, 'Who searched or opened what in this viewer, newest first. Pasted tokens appear only as fingerprints.'),
      table(['time (UTC)', 'user', 'via', 'action', 'subject', 'results'], entries.map(e => el('tr', {},
        el('td', { class: 'time' }, time(e.time)), el('td', {}, e.user), el('td', {}, e.via), el('td', {}, e.action),
        el('td', { class: 'what' }, markedText(e.subject)), el('td', { class: 'num' }, e.results < 0 ? '' : String(e.results)))), 'records')),
  };
}
