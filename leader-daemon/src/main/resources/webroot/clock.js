// A unit's clock as the leader measured it (`clock` in its worker row: offset_ms, round_trip_ms, measured_at,
// within_threshold), and the Inventory's "Sync clocks" button. Beyond the leader's threshold: a warning on the card;
// within it: a small, quiet line.
import { api } from './api.js';
import { date, h } from './format.js';

/** +30.0 s, -0.002 s */
export function offsetText(ms) {
  const s = ms / 1000;
  const sign = s >= 0 ? '+' : '-';
  return `${sign}${Math.abs(s) >= 10 ? Math.abs(s).toFixed(1) : Math.abs(s).toFixed(3)} s`;
}

/** The card's clock line, or null when the leader has not measured this unit. */
export function clockLine(w) {
  const c = w.clock;
  if (!c || typeof c.offset_ms !== 'number') return null;
  const title = `offset from the leader's clock, measured ${date(c.measured_at)} (round trip ${c.round_trip_ms.toFixed(1)} ms)`;
  return c.within_threshold
    ? h('p', { class: 'clock ok', 'data-clock': 'ok', title }, `clock ${offsetText(c.offset_ms)}`)
    : h('p', { class: 'clock warning', 'data-clock': 'warning', role: 'status', title },
      `clock: ${offsetText(c.offset_ms)}`, h('span', { class: 'help' }, ' off the leader’s: use “Sync clocks”'));
}

/** Wires the button: each unit steps its clock to the leader's, then the feedback says, per unit, before → after. */
export function wireSyncClocks(button, feedback) {
  button.addEventListener('click', async () => {
    button.disabled = true;
    feedback.className = 'feedback pending';
    feedback.textContent = 'Syncing clocks: each unit steps to the leader’s time…';
    try {
      const r = await api.syncClocks();
      const results = r.results || [];
      feedback.className = `feedback ${results.every((x) => x.within_threshold) ? 'done' : 'error'}`;
      feedback.replaceChildren(results.length ? 'Clocks: ' : 'No connected units to sync.',
        h('ul', { class: 'clock-results' }, ...results.map((x) => h('li', {
          class: x.within_threshold ? 'done' : 'error', 'data-unit': x.pioreactor_unit,
        }, `${x.pioreactor_unit}: ${x.before ? offsetText(x.before.offset_ms) : '?'} → ${x.after ? offsetText(x.after.offset_ms) : '?'}`,
        x.error ? ` (not synced: ${x.error})` : (x.within_threshold ? ' ok' : ' still off')))));
    } catch (e) {
      feedback.className = 'feedback error';
      feedback.textContent = `Clocks not synced: ${e.describe ? e.describe() : e.message}`;
    } finally {
      button.disabled = false;
    }
  });
}
