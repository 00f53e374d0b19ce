// Formatting helpers: all return plain strings.

export function time(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : d.toISOString().replace('T', ' ').replace('Z', '');
}

export function ms(v) {
  return v == null ? '' : (v < 10 ? v.toFixed(2) : Math.round(v)) + ' ms';
}

export function short(id, n = 10) {
  if (!id) return '';
  const s = String(id);
  return s.length > n ? s.slice(0, n) + '…' : s;
}

// "1 session", "2 sessions", "1,000 records": a count and its noun, singular only for exactly one.
export function count(n, singular, plural = singular + 's') {
  const v = Number(n);
  return (Number.isFinite(v) ? v.toLocaleString('en-US') : String(n)) + ' ' + (v === 1 ? singular : plural);
}

export function bytes(n) {
  if (n == null || n < 0) return 'unknown size';
  if (n < 1024) return n + ' B';
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KiB';
  return (n / 1024 / 1024).toFixed(1) + ' MiB';
}

// Re-indents JSON text without parsing values, so numbers such as 1e400 or 30-digit ids stay exactly
// as captured, and a body cut in the middle is still laid out.
export function prettyJson(s) {
  let out = '', indent = 0, inStr = false, esc = false;
  const pad = () => '\n' + '  '.repeat(indent);
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inStr) {
      out += c;
      if (esc) esc = false; else if (c === '\\') esc = true; else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') { inStr = true; out += c; }
    else if (c === '{' || c === '[') { indent = Math.min(indent + 1, 64); out += c + pad(); }
    else if (c === '}' || c === ']') { indent = Math.max(indent - 1, 0); out += pad() + c; }
    else if (c === ',') out += c + pad();
    else if (c === ':') out += ': ';
    else if (c === ' ' || c === '\n' || c === '\r' || c === '\t') continue;
    else out += c;
  }
  return out;
}

export function looksJson(contentType, text) {
  return (contentType && /json/i.test(contentType)) || /^\s*[[{]/.test(text || '');
}
