// Hash router. Routes carry only record ids and resolved keys (jti, session id, fingerprint),
// never what the user pasted.
import { el, clear } from './dom.js';
import * as api from './api.js';
import { searchView } from './search.js';
import { timelineView } from './timeline.js';
import { exchangeView, recordView } from './exchange.js';
import { tailView } from './tail.js';
import { auditView } from './audit.js';
import { shardsView } from './shards.js';
import { findingsView, findingView } from './findings.js';

const view = document.getElementById('view');
let cleanup = null;

const routes = [
  [/^#\/timeline\/(.+)$/, m => timelineView(decodeURIComponent(m[1]))],
  [/^#\/exchange\/(.+)$/, m => exchangeView(decodeURIComponent(m[1]))],
  [/^#\/record\/(.+)$/, m => recordView(decodeURIComponent(m[1]))],
  [/^#\/finding\/(.+)$/, m => findingView(decodeURIComponent(m[1]))],
  [/^#\/findings$/, () => findingsView()],
  [/^#\/tail$/, () => tailView()],
  [/^#\/audit$/, () => auditView()],
  [/^#\/shards$/, () => shardsView()],
  [/^(#\/?)?$/, () => searchView()],
];

// Screens load asynchronously: only the latest navigation may fill the view, so a slow screen
// left behind (a large shard list, say) never replaces the one navigated to after it.
let current = 0;

async function render() {
  if (cleanup) { cleanup(); cleanup = null; }
  const mine = ++current;
  const hash = location.hash || '#/';
  const route = routes.find(([re]) => re.test(hash));
  clear(view);
  if (!route) { view.append(el('p', {}, 'Unknown screen.')); return; }
  try {
    const screen = await route[1](hash.match(route[0]));
    if (mine !== current) {
      if (screen && screen.cleanup) screen.cleanup();
      return;
    }
    if (screen && screen.node) {
      clear(view).append(screen.node);
      cleanup = screen.cleanup || null;
    }
  } catch (e) {
    if (mine === current) clear(view).append(el('p', { class: 'error' }, 'Error: ' + e.message));
  }
}

document.getElementById('logout').addEventListener('click', async () => {
  await api.post('/auth/logout', {});
  location.assign('/login');
});

api.get('/api/me').then(me => {
  document.getElementById('who').textContent = me.name + ' (' + me.via + ')';
}).catch(() => {});

window.addEventListener('hashchange', render);
render();
