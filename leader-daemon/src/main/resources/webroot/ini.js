// Upstream's INI dialect, read only as far as colouring needs: which lines are section headers, comments, key=value
// options (and their continuation lines). The leader checks the text for real when it is saved; what looks wrong
// here is only marked, never refused.
import { h } from './format.js';

/** The text's lines ("a\n" is one line, as the leader counts them). */
export function splitLines(text) {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function firstSeparator(line) {
  const eq = line.indexOf('=');
  const colon = line.indexOf(':');
  if (eq < 0) return colon;
  return colon < 0 ? eq : Math.min(eq, colon);
}

/** Each line as {kind, raw, sep}: kind is blank, comment, section, option, continuation or unknown. */
export function classify(lines) {
  let afterOption = false; // an indented line right after an option continues its value (blank lines between too)
  return lines.map((raw) => {
    const line = raw.trim();
    if (!line) return { kind: 'blank', raw };
    if (line.startsWith('#') || line.startsWith(';')) return { kind: 'comment', raw };
    if (/^\s/.test(raw) && afterOption) return { kind: 'continuation', raw };
    if (line.startsWith('[')) {
      afterOption = false;
      return { kind: line.endsWith(']') && line.length >= 3 ? 'section' : 'unknown', raw };
    }
    const sep = firstSeparator(raw);
    if (sep <= raw.length - raw.trimStart().length) {
      afterOption = false;
      return { kind: 'unknown', raw };
    }
    afterOption = true;
    return { kind: 'option', raw, sep };
  });
}

/** One line, coloured: spans of text only (the text may be anyone's). */
export function lineElement(l) {
  if (l.kind === 'option') {
    return h('div', { class: 'ini-line' },
      h('span', { class: 'ini-key' }, l.raw.slice(0, l.sep)),
      h('span', { class: 'ini-sep' }, l.raw[l.sep]),
      h('span', { class: 'ini-value' }, l.raw.slice(l.sep + 1)));
  }
  const cls = { section: 'ini-section', comment: 'ini-comment', continuation: 'ini-value', unknown: 'ini-unknown' }[l.kind];
  return h('div', { class: 'ini-line' }, cls ? h('span', { class: cls, title: l.kind === 'unknown' ? 'not key=value, a [section] or a comment' : null }, l.raw) : l.raw);
}

/** {section: {key: value}} (a merged configuration) as INI text; a value of several lines continues indented. */
export function iniText(sections) {
  const out = [];
  for (const [name, options] of Object.entries(sections || {})) {
    if (out.length) out.push('');
    out.push(`[${name}]`);
    for (const [key, value] of Object.entries(options || {})) {
      out.push(`${key}=${String(value ?? '').split('\n').join('\n    ')}`);
    }
  }
  return out.join('\n');
}

/** A read-only view of INI text: line numbers and colours, as in the editor. */
export function iniBlock(text, label) {
  const lines = classify(splitLines(text));
  return h('div', { class: 'ini-view', role: 'region', 'aria-label': label, tabindex: '0' },
    h('div', { class: 'gutter', 'aria-hidden': 'true' }, lines.map((_, i) => h('div', {}, String(i + 1)))),
    h('div', { class: 'ini-lines' }, lines.map(lineElement)));
}

/** The sections of `lines` ({name: {header, end, options: {key: {line, lastLine, value}}}}, 0-based lines). */
function sectionsOf(lines) {
  const out = new Map();
  let current = null;
  let last = null;
  classify(lines).forEach((l, i) => {
    if (l.kind === 'section') {
      const name = l.raw.trim().slice(1, -1).trim();
      current = out.get(name) || { header: i, end: i, options: new Map() };
      out.set(name, current);
      last = null;
    } else if (l.kind === 'option' && current) {
      last = { line: i, lastLine: i, value: l.raw.slice(l.sep + 1).trim() };
      current.options.set(l.raw.slice(0, l.sep).trim(), last);
      current.end = i;
    } else if (l.kind === 'continuation' && last) {
      last.lastLine = i;
      current.end = i;
    }
  });
  return out;
}

/**
 * `text` with the options of the sections `names` as `from` has them, written in the way the leader writes its own
 * sections into every read of the shared configuration: an option's line rewritten where it is, else added at the end
 * of its section, else in a new section at the end. (An old version restored then differs from now only where it
 * really does: the leader's own values come from its config file, not from the version.)
 */
export function writeIn(text, from, names) {
  const source = sectionsOf(splitLines(from));
  let lines = text === '' ? [] : splitLines(text);
  for (const name of names) {
    const options = source.get(name);
    if (!options) continue;
    for (const [key, o] of options.options) {
      const target = sectionsOf(lines).get(name);
      const written = `${key}=${o.value}`;
      if (!target) {
        if (lines.length && lines[lines.length - 1].trim() !== '') lines.push('');
        lines.push(`[${name}]`, written);
      } else if (target.options.has(key)) {
        const t = target.options.get(key);
        lines.splice(t.line, t.lastLine - t.line + 1, written);
      } else {
        lines.splice(target.end + 1, 0, written);
      }
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
