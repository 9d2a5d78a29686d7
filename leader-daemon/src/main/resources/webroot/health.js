// A unit's health warnings, a line each ("disk 4 % free on /var/lib/pioreactor (below 10 %)"), from its worker row's
// `health` (GET /api/workers, kept live by the event stream's "worker" events). Nothing shown when all is well.
import { h } from './format.js';

/** The warning lines as a block, or null when there are none (or nothing is known). */
export function healthBlock(w) {
  const warnings = (w && w.health && w.health.warnings) || [];
  if (!warnings.length) return null;
  return h('ul', { class: 'health-warnings', 'aria-label': `Health warnings of ${w.pioreactor_unit}` },
    ...warnings.map((x) => h('li', { class: 'health-warning', 'data-check': x.check, role: 'status' }, `⚠ ${x.message}`)));
}
