// The only way this UI makes elements. Captured values become text nodes, never parsed markup:
// no string is ever parsed as HTML (Trusted Types in the CSP would reject it anyway), and a link
// target is only ever one of our own routes, so a captured script URL cannot become one.

const ATTRS = new Set(['id', 'title', 'type', 'name', 'value', 'placeholder', 'for', 'colspan', 'download',
  'autocomplete', 'spellcheck', 'aria-label', 'role', 'min', 'max', 'step', 'selected', 'disabled', 'rows']);

export function safeHref(v) {
  const s = String(v);
  if (s.startsWith('#/') || s.startsWith('/api/')) return s;
  throw new Error('refusing a link target that is not a route of this viewer');
}

export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = String(v);
    else if (k === 'href') e.setAttribute('href', safeHref(v));
    else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else if (k.startsWith('data-') || ATTRS.has(k)) e.setAttribute(k, v === true ? '' : String(v));
    else throw new Error('attribute not allowed: ' + k);
  }
  append(e, children);
  return e;
}

export function append(parent, children) {
  for (const c of [children].flat(Infinity)) {
    if (c == null || c === false) continue;
    parent.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return parent;
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

// Masking markers («masked:password», «token:abc») shown as marked text, still text.
const MARKER = /«(masked|token):[^»]{0,200}»/g;
export function markedText(s) {
  const frag = document.createDocumentFragment();
  if (s == null) return frag;
  const str = String(s);
  let last = 0;
  for (const m of str.matchAll(MARKER)) {
    if (m.index > last) frag.append(document.createTextNode(str.slice(last, m.index)));
    frag.append(el('span', { class: 'masked ' + m[1], title: m[1] === 'masked' ? 'masked at capture' : 'credential fingerprint' }, m[0]));
    last = m.index + m[0].length;
  }
  if (last < str.length) frag.append(document.createTextNode(str.slice(last)));
  return frag;
}

export function table(headers, rows, cls = '') {
  return el('table', { class: cls },
    el('thead', {}, el('tr', {}, headers.map(h => el('th', {}, h)))),
    el('tbody', {}, rows));
}
