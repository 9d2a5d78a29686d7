// One worker as a card (and as a table row). Re-rendered alone when that worker changes.
import { clockLine } from './clock.js';
import { configStatusBlock, configStatusText } from './configstatus.js';
import { ago, date, h, stateText, uptime } from './format.js';
import { healthBlock } from './health.js';
import { selfTestText } from './selftest.js';

function stateBadge(w, actions) {
  if (actions.isBlinking(w.pioreactor_unit)) return h('span', { class: 'state blinking', role: 'status' }, 'blinking');
  const stages = actions.rebooting.get(w.pioreactor_unit);
  if (stages) return h('span', { class: 'state rebooting', role: 'status' }, stages.join(' → '));
  return h('span', { class: `state ${w.state || 'unknown'}`, role: 'status' }, stateText(w));
}

function activities(w) {
  const list = w.activities || [];
  return list.length ? list.map((a) => `${a.job} (${a.state})`).join(', ') : 'none running';
}

function activeSwitch(w, actions) {
  const input = h('input', {
    type: 'checkbox', role: 'switch', checked: w.is_active === 1,
    'aria-label': `${w.pioreactor_unit} active`,
    onchange: (e) => actions.setActive(w, e.target.checked),
  });
  return h('label', { class: 'switch' }, input, h('span', {}, w.is_active === 1 ? 'Active' : 'Inactive'));
}

function experimentPicker(w, store, actions) {
  const select = h('select', {
    'aria-label': `Assign ${w.pioreactor_unit} to an experiment`,
    onchange: (e) => actions.assign(w, e.target.value),
  }, h('option', { value: '' }, w.experiment ? 'Move to…' : 'Assign to…'),
  store.experiments.filter((e) => e.experiment !== w.experiment)
    .map((e) => h('option', { value: e.experiment }, e.experiment)));
  return select;
}

/** What the unit does with the cluster configuration (null when the page does not know). */
function configOf(store, unit) {
  return store.configStatus ? store.configStatus.get(unit) : null;
}

export function card(w, store, actions) {
  const unit = w.pioreactor_unit;
  const fb = actions.feedback.get(unit);
  const versions = w.versions || {};
  return h('article', { class: `card ${w.is_active === 1 ? '' : 'inactive'}`, 'data-unit': unit, 'aria-label': `Worker ${unit}` },
    h('header', {},
      h('h3', {}, unit),
      w.is_leader ? h('span', { class: 'badge leader', title: 'This unit is the leader and also a worker' }, 'Leader · also a worker') : null,
      stateBadge(w, actions)),
    h('dl', {},
      h('dt', {}, 'Model'), h('dd', {}, w.model_name ? `${w.model_name} ${w.model_version || ''}` : 'unknown'),
      h('dt', {}, 'IPv4'), h('dd', {}, w.ipv4_address || '—'),
      h('dt', {}, 'MAC'), h('dd', {}, [w.wlan_mac_address && `wlan ${w.wlan_mac_address}`, w.eth_mac_address && `eth ${w.eth_mac_address}`].filter(Boolean).join(', ') || '—'),
      h('dt', {}, 'App version'), h('dd', {}, versions.app || '—'),
      h('dt', {}, 'Added'), h('dd', {}, date(w.added_at)),
      h('dt', {}, 'Experiment'), h('dd', { class: 'experiment' }, w.experiment || 'unassigned'),
      h('dt', {}, 'Last seen'), h('dd', {}, ago(w.last_seen)),
      h('dt', {}, 'Uptime'), h('dd', {}, uptime(w)),
      h('dt', {}, 'Activities'), h('dd', { class: 'activities' }, activities(w)),
      h('dt', {}, 'Self test'), h('dd', { class: 'self-test' }, (selfTestText(w.self_test) || 'never run').replace(/^Self test: /, ''))),
    healthBlock(w),
    configStatusBlock(configOf(store, unit)),
    clockLine(w),
    h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: () => actions.identify(unit), 'aria-label': `Identify ${unit} (blink its LED)` }, 'Identify'),
      h('button', { type: 'button', disabled: !w.experiment, onclick: () => actions.unassign(w), 'aria-label': `Unassign ${unit} from its experiment` }, 'Unassign'),
      h('button', { type: 'button', onclick: () => actions.reboot(w), 'aria-label': `Reboot ${unit}` }, 'Reboot'),
      h('button', { type: 'button', onclick: () => actions.shutdown(w), 'aria-label': `Shut down ${unit}` }, 'Shut down'),
      h('button', { type: 'button', disabled: w.is_active !== 1 || ['init', 'ready'].includes((w.self_test || {}).state),
        onclick: () => actions.selfTest(unit), 'aria-label': `Self test ${unit}` }, 'Self test'),
      h('button', { type: 'button', class: 'danger-text', onclick: () => actions.remove(w), 'aria-label': `Remove ${unit} from the cluster` }, 'Remove'),
      activeSwitch(w, actions),
      experimentPicker(w, store, actions)),
    h('p', { class: `feedback ${fb ? fb.kind : ''}`, 'aria-live': 'polite' }, fb ? fb.text : ''));
}

export function row(w, store, actions) {
  const unit = w.pioreactor_unit;
  const fb = actions.feedback.get(unit);
  return h('tr', { 'data-unit': unit, class: w.is_active === 1 ? '' : 'inactive' },
    h('th', { scope: 'row' }, unit, w.is_leader ? ' (leader)' : ''),
    h('td', {}, stateBadge(w, actions)),
    h('td', {}, w.ipv4_address || '—'),
    h('td', {}, w.experiment || 'unassigned'),
    h('td', {}, activeSwitch(w, actions)),
    h('td', {}, (w.versions || {}).app || '—'),
    h('td', {}, ago(w.last_seen)),
    h('td', {}, uptime(w)),
    h('td', { class: 'config' }, (configStatusText(configOf(store, unit)) || '—').replace(/^config: /, '')),
    h('td', { class: 'actions' },
      h('button', { type: 'button', onclick: () => actions.identify(unit), 'aria-label': `Identify ${unit} (blink its LED)` }, 'Identify'),
      h('button', { type: 'button', onclick: () => actions.reboot(w), 'aria-label': `Reboot ${unit}` }, 'Reboot'),
      h('button', { type: 'button', onclick: () => actions.shutdown(w), 'aria-label': `Shut down ${unit}` }, 'Shut down'),
      h('button', { type: 'button', class: 'danger-text', onclick: () => actions.remove(w), 'aria-label': `Remove ${unit} from the cluster` }, 'Remove'),
      fb ? h('span', { class: `feedback ${fb.kind}`, 'aria-live': 'polite' }, fb.text) : null));
}

/** Which worker is in which experiment: a table grouped by experiment, inactive ones marked. */
export function assignmentSummary(store) {
  const groups = new Map(store.experiments.map((e) => [e.experiment, []]));
  const unassigned = [];
  for (const w of store.sorted()) {
    if (w.experiment) {
      if (!groups.has(w.experiment)) groups.set(w.experiment, []);
      groups.get(w.experiment).push(w);
    } else unassigned.push(w);
  }
  const rows = [];
  const label = (w) => h('span', { class: w.is_active === 1 ? '' : 'inactive-name' }, w.pioreactor_unit, w.is_active === 1 ? '' : ' (inactive)');
  for (const [exp, ws] of groups) {
    rows.push(h('tr', {}, h('th', { scope: 'row' }, exp), h('td', {}, ws.length ? ws.map(label).reduce((acc, el) => acc.concat(acc.length ? [', ', el] : [el]), []) : 'no workers')));
  }
  rows.push(h('tr', { class: 'unassigned' }, h('th', { scope: 'row' }, 'Unassigned'),
    h('td', {}, unassigned.length ? unassigned.map(label).reduce((acc, el) => acc.concat(acc.length ? [', ', el] : [el]), []) : 'none')));
  return h('table', { class: 'summary', 'aria-label': 'Workers by experiment' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Experiment'), h('th', { scope: 'col' }, 'Workers'))),
    h('tbody', {}, rows));
}
