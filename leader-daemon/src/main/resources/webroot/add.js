// "Add new Pioreactor": checks the name as you type, shows the add flow's steps as they happen,
// and on failure says which step failed and what to try. Lists units found on the network.
import { api } from './api.js';
import { h } from './format.js';
import { ipv4Problem, unitNameProblem } from './names.js';

const STEPS = [
  ['validate', 'Check the name'],
  ['handshake', 'Ask the worker to identify itself'],
  ['insert', 'Add it to the inventory'],
];

export function openAddDialog(prefill = '') {
  const name = h('input', { id: 'add-name', name: 'name', autocomplete: 'off', required: true, 'aria-describedby': 'add-name-help', value: prefill });
  const ipv4 = h('input', { id: 'add-ipv4', name: 'ipv4', autocomplete: 'off', inputmode: 'decimal', placeholder: 'optional, e.g. 192.168.1.42', 'aria-describedby': 'add-ipv4-help' });
  const model = h('select', { id: 'add-model', name: 'model' },
    h('option', { value: '' }, 'the worker reports its own'),
    h('option', { value: 'pioreactor_40ml|1.5' }, 'Pioreactor 40ml, v1.5'),
    h('option', { value: 'pioreactor_40ml|1.0' }, 'Pioreactor 40ml, v1.0'),
    h('option', { value: 'pioreactor_20ml|1.1' }, 'Pioreactor 20ml, v1.1'),
    h('option', { value: 'pioreactor_20ml|1.0' }, 'Pioreactor 20ml, v1.0'));
  const nameHelp = h('p', { id: 'add-name-help', class: 'help' }, "The worker's hostname, e.g. worker3");
  const ipv4Help = h('p', { id: 'add-ipv4-help', class: 'help' }, 'Only needed where mDNS does not work; the worker must answer from this address.');
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Add Pioreactor');
  const steps = h('ol', { class: 'steps', 'aria-live': 'polite', 'aria-label': 'Progress' });
  const outcome = h('p', { class: 'outcome', role: 'status' });
  const found = h('ul', { class: 'discovered', 'aria-label': 'Workers found on the network' }, h('li', {}, 'Searching…'));

  const check = () => {
    const problem = unitNameProblem(name.value) || null;
    const ipProblem = ipv4Problem(ipv4.value.trim());
    name.setAttribute('aria-invalid', problem && name.value ? 'true' : 'false');
    nameHelp.textContent = problem && name.value ? problem : "The worker's hostname, e.g. worker3";
    nameHelp.className = problem && name.value ? 'help error' : 'help';
    ipv4.setAttribute('aria-invalid', ipProblem ? 'true' : 'false');
    ipv4Help.textContent = ipProblem || 'Only needed where mDNS does not work; the worker must answer from this address.';
    ipv4Help.className = ipProblem ? 'help error' : 'help';
    submit.disabled = Boolean(problem || ipProblem);
  };
  name.addEventListener('input', check);
  ipv4.addEventListener('input', check);

  const showSteps = (current, failedStep) => {
    steps.replaceChildren(...STEPS.map(([key, label], i) => {
      const idx = STEPS.findIndex(([k]) => k === current);
      let status = i < idx ? 'done' : i === idx ? (failedStep ? 'failed' : 'running') : 'waiting';
      if (current === 'finished') status = 'done';
      return h('li', { class: status, 'data-step': key }, `${label}: ${status}`);
    }));
  };

  const add = async (unit) => {
    submit.disabled = true;
    outcome.textContent = '';
    outcome.className = 'outcome';
    showSteps('validate');
    const problem = unitNameProblem(unit);
    if (problem) {
      showSteps('validate', true);
      outcome.textContent = `Invalid name: ${problem}`;
      outcome.className = 'outcome error';
      submit.disabled = false;
      return;
    }
    showSteps('handshake');
    const [m, v] = model.value ? model.value.split('|') : [undefined, undefined];
    try {
      const res = await api.add(unit, ipv4.value.trim() || undefined, m, v);
      showSteps('finished');
      outcome.textContent = `${res.worker.pioreactor_unit} was added to the inventory.`;
      outcome.className = 'outcome done';
      name.value = '';
      refreshFound();
    } catch (e) {
      showSteps(e.step || 'handshake', true);
      outcome.textContent = `Failed at “${(STEPS.find(([k]) => k === e.step) || STEPS[1])[1]}”: ${e.describe ? e.describe() : e.message}`;
      outcome.className = 'outcome error';
    }
    submit.disabled = false;
    check();
  };

  const refreshFound = async () => {
    try {
      const units = await api.discover();
      found.replaceChildren(...(units.length ? units.map((d) => h('li', {},
        h('span', {}, `${d.pioreactor_unit}${d.ipv4_address ? ` (${d.ipv4_address})` : ''}${d.model_name ? `, ${d.model_name}` : ''}`),
        h('button', { type: 'button', 'aria-label': `Add ${d.pioreactor_unit}`, onclick: () => { name.value = d.pioreactor_unit; check(); add(d.pioreactor_unit); } }, 'Add')))
        : [h('li', {}, 'No workers found that are not already in the inventory.')]));
    } catch (e) {
      found.replaceChildren(h('li', { class: 'error' }, `Search failed: ${e.message}`));
    }
  };

  const form = h('form', { method: 'dialog', onsubmit: (e) => { e.preventDefault(); add(name.value.trim()); } },
    h('label', { for: 'add-name' }, 'Hostname'), name, nameHelp,
    h('label', { for: 'add-ipv4' }, 'IPv4 address'), ipv4, ipv4Help,
    h('label', { for: 'add-model' }, 'Model'), model,
    h('div', { class: 'dialog-buttons' },
      h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close() }, 'Close'), submit));
  const dialog = h('dialog', { class: 'add', 'aria-labelledby': 'add-title' },
    h('h2', { id: 'add-title' }, 'Add new Pioreactor'), form, steps, outcome,
    h('h3', {}, 'Search for workers'),
    h('p', { class: 'help' }, 'Units on the network that are not in the inventory yet.'),
    h('button', { type: 'button', class: 'secondary', onclick: refreshFound }, 'Search again'), found);
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  check();
  name.focus();
  refreshFound();
  return dialog;
}
