// What a unit does with the cluster configuration, in words: "config: current", "config: pending since …",
// "config: refused: <its reason>", and the jobs still running with an older version. Used by every card and the
// Configuration view, so they all say it the same way.
import { date, h } from './format.js';

/** The line for a status from /api/config/status (null: the page does not know it, nothing to show). */
export function configStatusText(s) {
  if (!s) return null;
  if (s.state === 'current') return `config: current (version ${s.version})`;
  if (s.state === 'pending') return `config: pending since ${date(s.since)}`;
  if (s.state === 'refused') return `config: refused: ${s.reason || 'no reason given'}`;
  return 'config: not sent yet';
}

/** The jobs that keep the version they started with (they take the new one when restarted), or null. */
export function olderJobsText(s) {
  const jobs = Object.keys((s && s.jobs_on_older) || {}).sort();
  return jobs.length ? `jobs on an older version: ${jobs.join(', ')}` : null;
}

/** The status as a small block (text only: the reason is the unit's own words). */
export function configStatusBlock(s) {
  const text = configStatusText(s);
  if (!text) return null;
  const older = olderJobsText(s);
  return h('div', { class: `config-status ${s.state}`, 'data-state': s.state, 'data-version': s.version || '' },
    h('p', { class: 'config-state' }, text),
    older ? h('p', { class: 'config-older', title: jobVersions(s) }, older) : null);
}

function jobVersions(s) {
  return Object.entries(s.jobs_on_older || {}).map(([job, v]) => `${job}: version ${v}`).join(', ');
}
