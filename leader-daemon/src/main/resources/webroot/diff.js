// Line-by-line differences between two texts (what a save replaces, and with what), shown before the save.
import { h } from './format.js';
import { splitLines } from './ini.js';

/** Above this many line pairs the middle is not compared line by line: it shows as all removed, then all added. */
const MAX_CELLS = 4_000_000;

/** [{op: 'same'|'removed'|'added', text, oldNo, newNo}] turning `before` into `after` (a longest common subsequence). */
export function lineDiff(before, after) {
  const a = before === '' ? [] : splitLines(before); // an empty text has no lines to remove
  const b = after === '' ? [] : splitLines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  const ops = [];
  for (let i = 0; i < start; i++) ops.push({ op: 'same', text: a[i], oldNo: i + 1, newNo: i + 1 });
  middle(a, b, start, endA, endB, ops);
  for (let i = endA, j = endB; i < a.length; i++, j++) ops.push({ op: 'same', text: a[i], oldNo: i + 1, newNo: j + 1 });
  return ops;
}

function middle(a, b, start, endA, endB, ops) {
  const n = endA - start;
  const m = endB - start;
  if (n * m > MAX_CELLS) {
    for (let i = start; i < endA; i++) ops.push({ op: 'removed', text: a[i], oldNo: i + 1 });
    for (let j = start; j < endB; j++) ops.push({ op: 'added', text: b[j], newNo: j + 1 });
    return;
  }
  // lcs[i][j]: the longest common subsequence of a[start+i..] and b[start+j..].
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[start + i] === b[start + j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[start + i] === b[start + j]) {
      ops.push({ op: 'same', text: a[start + i], oldNo: start + i + 1, newNo: start + j + 1 });
      i++; j++;
    } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      // Removed before added: a changed line reads as the old one, then the new one.
      ops.push({ op: 'removed', text: a[start + i], oldNo: start + i + 1 });
      i++;
    } else {
      ops.push({ op: 'added', text: b[start + j], newNo: start + j + 1 });
      j++;
    }
  }
}

/** The changes with `context` unchanged lines around each; a gap between them is one "…" row. */
export function diffView(ops, context = 2) {
  const removed = ops.filter((o) => o.op === 'removed').length;
  const added = ops.filter((o) => o.op === 'added').length;
  const keep = ops.map(() => false);
  ops.forEach((o, i) => {
    if (o.op === 'same') return;
    for (let k = Math.max(0, i - context); k <= Math.min(ops.length - 1, i + context); k++) keep[k] = true;
  });
  const rows = [];
  let gap = false;
  ops.forEach((o, i) => {
    if (!keep[i]) { gap = true; return; }
    if (gap && rows.length) rows.push(h('tr', { class: 'diff-gap' }, h('td', { colspan: 4 }, '…')));
    gap = false;
    const sign = { same: ' ', removed: '−', added: '+' }[o.op];
    rows.push(h('tr', { class: `diff-${o.op}` },
      h('td', { class: 'no' }, o.oldNo ? String(o.oldNo) : ''),
      h('td', { class: 'no' }, o.newNo ? String(o.newNo) : ''),
      h('td', { class: 'sign', 'aria-label': o.op === 'same' ? null : o.op }, sign),
      h('td', { class: 'text' }, o.text)));
  });
  return h('div', { class: 'diff' },
    h('p', { class: 'diff-summary' }, `${removed} line${removed === 1 ? '' : 's'} removed, ${added} added`),
    h('div', { class: 'diff-scroll' },
      h('table', { 'aria-label': 'Changes, line by line' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'old'), h('th', { scope: 'col' }, 'new'), h('th', { scope: 'col' }, ''),
          h('th', { scope: 'col' }, 'line'))),
        h('tbody', {}, rows))));
}
