// Card actions with visible feedback: pending, done, or failed with the reason.
import { api } from './api.js';
import { confirmAction } from './dialogs.js';

export class Actions {
  constructor(store, rerender) {
    this.store = store;
    this.rerender = rerender;
    this.feedback = new Map(); // unit -> {text, kind}
    this.blinkingUntil = new Map(); // unit -> ms
    this.rebooting = new Map(); // unit -> [stages seen]
  }

  say(unit, text, kind) {
    this.feedback.set(unit, { text, kind });
    this.rerender(unit);
  }

  async run(unit, pending, action, done) {
    this.say(unit, pending, 'pending');
    try {
      const result = await action();
      this.say(unit, typeof done === 'function' ? done(result) : done, 'done');
      return result;
    } catch (e) {
      this.say(unit, `Failed: ${e.describe ? e.describe() : e.message}`, 'error');
      return undefined;
    }
  }

  identify(unit) {
    return this.run(unit, `Identify ${unit}: sending…`, () => api.blink(unit), () => {
      // The LED pattern lasts about 3.5 s.
      this.blinkingUntil.set(unit, Date.now() + 3600);
      setTimeout(() => this.rerender(unit), 3700);
      return `Identify ${unit}: the LED is blinking`;
    });
  }

  /** Upstream's self test, under $experiment: the card then shows its results as they come (the worker row's self_test). */
  selfTest(unit) {
    return this.run(unit, `Self test ${unit}: starting…`, () => api.runJob(unit, 'self_test', '$experiment', {}),
      `Self test ${unit}: running; the results show here when it ends`);
  }

  isBlinking(unit) {
    return (this.blinkingUntil.get(unit) || 0) > Date.now();
  }

  async unassign(w) {
    if (!w.experiment) return;
    await this.run(w.pioreactor_unit, `Unassigning from ${w.experiment}…`,
      () => api.unassign(w.pioreactor_unit, w.experiment), `Unassigned from ${w.experiment}`);
  }

  async reboot(w) {
    const unit = w.pioreactor_unit;
    const ok = await confirmAction(`Reboot ${unit}?`,
      `${unit} restarts now; its activities stop and it comes back in a minute or two.`, `Reboot ${unit}`);
    if (!ok) return;
    this.say(unit, `Reboot ${unit}: sending…`, 'pending');
    try {
      const r = await api.reboot(unit);
      const mine = (r.results || []).find((x) => x.pioreactor_unit === unit);
      if (!mine) {
        this.say(unit, `Reboot ${unit}: no answer (is it online?)`, 'error');
      } else if (!mine.ok) {
        this.say(unit, `Failed: ${mine.error}`, 'error');
      } else {
        this.rebooting.set(unit, ['rebooting']);
        this.say(unit, `Reboot ${unit}: rebooting…`, 'pending');
      }
    } catch (e) {
      this.say(unit, `Failed: ${e.describe ? e.describe() : e.message}`, 'error');
    }
  }

  /** Powers the unit off: confirmed, since nothing but a person at the Pi turns it on again. */
  async shutdown(w) {
    const unit = w.pioreactor_unit;
    const leader = w.is_leader ? ' It is the leader: this page and the API go away with it.' : '';
    const ok = await confirmAction(`Shut down ${unit}?`,
      `${unit} powers off now and its activities stop. It will not come back by itself: someone must power it on by hand (unplug and plug in its power).${leader}`,
      `Shut down ${unit}`);
    if (!ok) return;
    this.say(unit, `Shut down ${unit}: sending…`, 'pending');
    try {
      const r = await api.shutdown(unit);
      const mine = (r.results || []).find((x) => x.pioreactor_unit === unit);
      if (!mine) this.say(unit, `Shut down ${unit}: no answer (is it online?)`, 'error');
      else if (!mine.ok) this.say(unit, `Failed: ${mine.error}`, 'error');
      else this.say(unit, `Shut down ${unit}: it is powering off; power it on by hand to use it again`, 'done');
    } catch (e) {
      this.say(unit, `Failed: ${e.describe ? e.describe() : e.message}`, 'error');
    }
  }

  /** Follows a rebooting unit through lost → ready as the event stream reports it. */
  trackReboot(w) {
    const stages = this.rebooting.get(w.pioreactor_unit);
    if (!stages) return;
    const last = stages[stages.length - 1];
    if (w.state === 'lost' && last !== 'lost') stages.push('lost');
    if (w.state === 'ready' && last === 'lost') {
      stages.push('ready');
      this.say(w.pioreactor_unit, `Reboot ${w.pioreactor_unit}: back and ready`, 'done');
      setTimeout(() => { this.rebooting.delete(w.pioreactor_unit); this.rerender(w.pioreactor_unit); }, 5000);
    }
  }

  async remove(w) {
    const where = w.experiment ? ` It is assigned to experiment “${w.experiment}”, and will be unassigned.` : '';
    const ok = await confirmAction(`Remove ${w.pioreactor_unit} from the cluster?`,
      `${w.pioreactor_unit} leaves the inventory and all its activities stop.${where} It is not shut down; its history is kept, and you can add it again later.`,
      `Remove ${w.pioreactor_unit}`);
    if (!ok) return;
    await this.run(w.pioreactor_unit, `Removing ${w.pioreactor_unit}…`, () => api.remove(w.pioreactor_unit), 'Removed');
  }

  async setActive(w, active) {
    if (!active) {
      const running = (w.activities || []).map((a) => a.job);
      const what = running.length ? `It will halt: ${running.join(', ')}.` : 'It runs no activities now; it will refuse to start any while inactive.';
      const ok = await confirmAction(`Set ${w.pioreactor_unit} inactive?`, what, `Set ${w.pioreactor_unit} inactive`);
      if (!ok) { this.rerender(w.pioreactor_unit); return; }
    }
    await this.run(w.pioreactor_unit, active ? 'Activating…' : 'Deactivating…',
      () => api.setActive(w.pioreactor_unit, active), active ? 'Active' : 'Inactive: activities halted');
  }

  async assign(w, experiment) {
    if (!experiment) return;
    await this.run(w.pioreactor_unit, `Assigning to ${experiment}…`, () => api.assign(w.pioreactor_unit, experiment),
      `Assigned to ${experiment}`);
  }
}
