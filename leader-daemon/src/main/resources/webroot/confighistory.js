// A configuration's stored versions, newest first, each to view or to restore into the editor (restoring saves
// nothing by itself: it is then saved as any edit is, after its diff).
import { confirmWith } from './dialogs.js';
import { date, h } from './format.js';
import { iniBlock, splitLines } from './ini.js';

/** `rows`: [{filename, timestamp, data}] newest first; `restore(row)`: load it into the editor. */
export function historyList(rows, restore) {
  if (!rows.length) return h('p', { class: 'sub' }, 'No versions stored yet.');
  return h('ol', { class: 'config-history' }, rows.map((row, i) => {
    const when = date(row.timestamp);
    const lines = row.data ? splitLines(row.data).length : 0;
    return h('li', { 'data-timestamp': row.timestamp },
      h('span', { class: 'when' }, when),
      i === 0 ? h('span', { class: 'badge' }, 'current') : null,
      h('span', { class: 'sub' }, lines === 1 ? '1 line' : `${lines} lines`),
      h('span', { class: 'history-buttons' },
        h('button', { type: 'button', class: 'link', 'aria-label': `View the version of ${when}`, onclick: () => view(row, i === 0, restore) }, 'view'),
        h('button', { type: 'button', class: 'link', 'aria-label': `Restore the version of ${when}`, onclick: () => restore(row) }, 'restore')));
  }));
}

async function view(row, current, restore) {
  const body = h('div', { class: 'version-view' },
    h('p', { class: 'sub' }, current ? 'The version stored now.' : 'Restoring loads it into the editor; Save then shows what changes.'),
    row.data ? iniBlock(row.data, `The version of ${date(row.timestamp)}`) : h('p', { class: 'sub' }, '(empty: no options of its own)'));
  const again = await confirmWith(`Version of ${date(row.timestamp)}`, body, 'Restore into the editor',
    { wide: true, kind: 'primary', cancelLabel: 'Close' });
  if (again) restore(row);
}
