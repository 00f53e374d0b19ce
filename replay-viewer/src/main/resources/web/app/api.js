// JSON calls to the viewer's API. What the user types goes in POST bodies, never in a URL.

async function handle(res) {
  if (res.status === 401) {
    location.assign('/');
    throw new Error('login required');
  }
  const type = res.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) throw new Error((body && body.error) || ('HTTP ' + res.status));
  return body;
}

export async function get(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v != null && v !== '') q.set(k, v);
  const qs = q.toString();
  return handle(await fetch(path + (qs ? '?' + qs : ''), { credentials: 'same-origin', headers: { Accept: 'application/json' } }));
}

export async function post(path, body) {
  return handle(await fetch(path, {
    method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  }));
}

export async function text(path) {
  return handle(await fetch(path, { credentials: 'same-origin' }));
}
