// "Unassign all workers" on the Inventory page: confirmed (naming who leaves which experiment), then what was done.
import { api } from './api.js';
import { confirmAction } from './dialogs.js';

export function wireUnassignAll(store, button, feedback) {
  const say = (text, kind) => { feedback.textContent = text; feedback.className = `feedback ${kind}`; };
  button.addEventListener('click', async () => {
    const assigned = store.sorted().filter((w) => w.experiment);
    const ok = await confirmAction('Unassign all workers?', assigned.length
      ? `Every worker leaves its experiment and halts the jobs it runs there: ${assigned.map((w) => `${w.pioreactor_unit} (${w.experiment})`).join(', ')}. The experiments and their data are kept.`
      : 'No worker is assigned to an experiment as far as this page knows; the leader is asked anyway.', 'Unassign all workers');
    if (!ok) return;
    say('Unassigning all workers…', 'pending');
    try {
      const r = await api.unassignEveryone();
      const gone = r.unassigned || [];
      say(gone.length ? `Unassigned ${gone.length} worker${gone.length === 1 ? '' : 's'}: `
        + gone.map((x) => `${x.pioreactor_unit} from ${x.experiment}`).join(', ') : 'No worker was assigned; nothing changed', 'done');
    } catch (e) {
      say(`Unassign all failed: ${e.describe ? e.describe() : e.message}`, 'error');
    }
  });
}
