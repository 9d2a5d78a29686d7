// Small text helpers for dates, durations and states.
export function ago(iso) {
  if (!iso) return '—';
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  return `${duration(s)} ago`;
}

export function duration(seconds) {
  if (seconds < 60) return `${Math.floor(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  return `${Math.floor(seconds / 86400)} d ${Math.floor((seconds % 86400) / 3600)} h`;
}

export function uptime(w) {
  if (w.state !== 'ready' || !w.ready_since) return '—';
  return duration((Date.now() - Date.parse(w.ready_since)) / 1000);
}

export function date(iso) {
  return iso ? new Date(iso).toLocaleString() : '—';
}

/** ready / lost / offline since … / never seen */
export function stateText(w) {
  if (!w.state) return 'never seen';
  if (w.state === 'lost' || w.state === 'disconnected') {
    return w.last_seen ? `${w.state}, offline since ${date(w.last_seen)}` : w.state;
  }
  return w.state;
}

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** A reading or setting as text: numbers to at most 5 significant digits. */
export function numberText(n) {
  if (typeof n !== 'number' || !Number.isFinite(n)) return String(n);
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(5)));
}

/**
 * A job setting's value as published: a number, a string, or an object such as {"temperature": 31.2, "timestamp": …}
 * (shown as its value under the setting's own name, else its one number, else as compact JSON). Empty: "—".
 */
export function settingText(key, value, unit) {
  if (value === null || value === undefined || value === '') return '—';
  let v = value;
  if (typeof v === 'object' && !Array.isArray(v)) {
    if (key in v) v = v[key];
    else {
      const numbers = Object.entries(v).filter(([k, x]) => k !== 'timestamp' && typeof x === 'number');
      v = numbers.length === 1 ? numbers[0][1] : JSON.stringify(v);
    }
  }
  if (typeof v === 'object' && v !== null) v = JSON.stringify(v);
  if (v === null || v === undefined || v === '') return '—';
  const text = typeof v === 'number' ? numberText(v) : String(v);
  return unit ? `${text} ${unit}` : text;
}
