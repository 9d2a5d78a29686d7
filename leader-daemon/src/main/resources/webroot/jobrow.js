// One job on a Pioreactor card: its live state, Start (with its options), Pause / Resume / Stop, and its published
// settings (editable ones as inputs). Updated in place as the worker row changes, so focus and typing survive.
// Every action says what it is doing, then what happened: the leader's or the worker's own words when refused.
import { api } from './api.js';
import { h, numberText, settingText } from './format.js';
import { activityOf, CONFIRM_WAIT_MS, sameValue, settingLabel, settingOf, startOptions, typedValue } from './jobs.js';

const STATE_TEXT = { ready: 'ready', sleeping: 'paused (sleeping)', init: 'starting (init)' };

function describe(e) {
  return e.describe ? e.describe() : e.message;
}

export class JobRow {
  constructor(unit, experiment, descriptor) {
    this.unit = unit;
    this.experiment = experiment;
    this.descriptor = descriptor;
    this.job = descriptor.job_name;
    this.name = descriptor.display_name || this.job;
    this.activity = null;
    this.lastState = null;
    this.said = null; // {kind, state}: the feedback line's last outcome, and the job's state it describes
    this.disabled = false;
    this.busy = false;
    this.waiting = null; // {check(activity), done, timer}: a request the leader accepted, until the worker shows it
    this.settingRows = new Map(); // key -> {setting, dt, dd, value?: element showing it, input?, form?}
    this.form = null;
    const on = `${this.job} on ${unit}`;
    this.stateEl = h('span', { class: 'job-state', role: 'status' }, 'not running');
    // Buttons and the settings list are made when first needed: a card of jobs not running stays a few elements each.
    this.makeButton = {
      start: () => h('button', { type: 'button', 'aria-label': `Start ${on}`, onclick: () => this.startClicked() }, 'Start'),
      pause: () => h('button', { type: 'button', 'aria-label': `Pause ${on}`, onclick: () => this.requestState('sleeping') }, 'Pause'),
      resume: () => h('button', { type: 'button', 'aria-label': `Resume ${on}`, onclick: () => this.requestState('ready') }, 'Resume'),
      stop: () => h('button', { type: 'button', class: 'danger-text', 'aria-label': `Stop ${on}`, onclick: () => this.stop() }, 'Stop'),
    };
    this.buttons = {};
    this.buttonsEl = h('span', { class: 'job-buttons' });
    this.settingsEl = null;
    this.feedbackEl = h('p', { class: 'feedback', 'aria-live': 'polite' });
    this.head = h('div', { class: 'job-head' }, h('h4', { title: descriptor.description || null }, this.name), this.stateEl, this.buttonsEl);
    this.el = h('section', { class: 'job', 'data-job': this.job, 'aria-label': `${this.name} on ${unit}` }, this.head, this.feedbackEl);
    this.refreshButtons();
  }

  /** The worker row changed (or the card turned inactive: `disabled`). */
  update(w, disabled) {
    this.activity = activityOf(w, this.job, this.experiment);
    this.disabled = disabled;
    const state = this.activity ? this.activity.state : null;
    // An outcome no longer describes a job that has since moved to another state (started or stopped elsewhere).
    // (init and ready count as one: a late "init" after the start's answer is still the start it describes.)
    const phase = (st) => (st === 'init' ? 'ready' : st);
    if (state !== this.lastState && !this.busy && this.said && this.said.kind !== 'pending' && phase(this.said.state) !== phase(state)) {
      this.say('', '');
    }
    this.lastState = state;
    this.stateEl.textContent = state ? (STATE_TEXT[state] || state) : 'not running';
    this.stateEl.className = `job-state ${state || 'off'}`;
    this.el.dataset.state = state || 'off';
    this.renderSettings();
    this.refreshButtons();
    if (this.waiting && this.waiting.check(this.activity)) {
      this.say(this.waiting.done, 'done');
      this.stopWaiting();
    }
  }

  refreshButtons() {
    const state = this.activity ? this.activity.state : null;
    const off = this.disabled || this.busy;
    const wanted = { start: state === null, pause: state === 'ready', resume: state === 'sleeping', stop: state !== null };
    let made = false;
    for (const [kind, show] of Object.entries(wanted)) {
      if (show && !this.buttons[kind]) { this.buttons[kind] = this.makeButton[kind](); made = true; }
      const b = this.buttons[kind];
      if (b) { b.hidden = !show; b.disabled = off; }
    }
    if (made) this.buttonsEl.append(...Object.keys(wanted).map((k) => this.buttons[k]).filter(Boolean));
    if (this.form) {
      this.form.querySelectorAll('input, button').forEach((x) => { x.disabled = off; });
      if (state !== null) this.closeForm();
    }
    this.settingRows.forEach((r) => { if (r.input) r.form.querySelectorAll('input, button').forEach((x) => { x.disabled = off; }); });
  }

  // ---- published settings

  renderSettings() {
    const a = this.activity;
    if (this.settingsEl) this.settingsEl.hidden = !a;
    if (!a) return;
    if (!this.settingsEl) {
      this.settingsEl = h('dl', { class: 'job-settings' });
      this.feedbackEl.before(this.settingsEl);
    }
    // The editable settings, and whatever else the job reports a value for (readings such as its temperature come
    // without one: the charts show them).
    const published = a.settings || {};
    const keys = (this.descriptor.published_settings || []).filter((s) => s.editable || s.key in published).map((s) => s.key);
    Object.keys(published).forEach((k) => { if (!keys.includes(k)) keys.push(k); });
    // Rows come and go one by one: the others stay as they are, so an input being typed in keeps its focus.
    for (const [key, row] of [...this.settingRows]) {
      if (!keys.includes(key)) { row.dt.remove(); row.dd.remove(); this.settingRows.delete(key); }
    }
    keys.filter((k) => !this.settingRows.has(k)).forEach((k) => this.settingsEl.append(...this.settingRow(settingOf(this.descriptor, k))));
    for (const [key, row] of this.settingRows) {
      const value = published[key];
      if (row.input) {
        // What the worker reports, unless someone is typing a new value.
        if (value !== undefined && document.activeElement !== row.input && !row.input.dataset.dirty) {
          row.input.value = typeof value === 'number' ? numberText(value) : settingText(key, value, null).replace(/^—$/, '');
        }
      } else {
        row.value.textContent = settingText(key, value, row.setting.unit);
      }
    }
  }

  settingRow(setting) {
    const label = settingLabel(setting);
    const dt = h('dt', { title: setting.description || null }, label);
    if (!setting.editable) {
      const value = h('dd', { 'data-setting': setting.key }, '—');
      this.settingRows.set(setting.key, { setting, value, dt, dd: value });
      return [dt, value];
    }
    const numeric = setting.type === 'numeric';
    const input = h('input', {
      type: numeric ? 'number' : 'text', step: numeric ? 'any' : null, inputmode: numeric ? 'decimal' : null,
      'aria-label': `${label} of ${this.job} on ${this.unit}`, 'data-setting': setting.key, size: 8,
      oninput: () => { input.dataset.dirty = '1'; },
    });
    const form = h('form', { class: 'setting', onsubmit: (e) => { e.preventDefault(); this.changeSetting(setting, input); } },
      input, setting.unit ? h('span', { class: 'unit' }, setting.unit) : null,
      h('button', { type: 'submit', 'aria-label': `Set ${label} of ${this.job} on ${this.unit}` }, 'Set'));
    const dd = h('dd', {}, form);
    this.settingRows.set(setting.key, { setting, input, form, dt, dd });
    return [dt, dd];
  }

  async changeSetting(setting, input) {
    const value = typedValue(setting, input.value);
    if (value === '') { this.say(`Type a value for ${settingLabel(setting)} first`, 'error'); return; }
    const label = settingLabel(setting);
    const shown = `${typeof value === 'number' ? numberText(value) : value}${setting.unit ? ` ${setting.unit}` : ''}`;
    const before = await this.jobWarnings();
    const accepted = await this.act(`Setting ${label} to ${shown}…`,
      () => api.updateJob(this.unit, this.job, this.experiment, { [setting.key]: value }), null);
    if (accepted === undefined) return;
    delete input.dataset.dirty;
    this.awaitWorker((a) => a && a.settings && sameValue(a.settings[setting.key], value),
      `${label} set to ${shown}: asked ${this.unit}, waiting for it to confirm…`, `${label} is now ${shown}`, before);
  }

  // ---- start, pause, resume, stop

  startClicked() {
    const options = startOptions(this.descriptor);
    if (!options.length) { this.start({}); return; }
    if (this.form && !this.form.hidden) { this.closeForm(); return; }
    if (!this.form) {
      const fields = options.map((s) => h('label', { class: 'option', title: s.description || null },
        h('span', {}, settingLabel(s)),
        h('input', { type: s.type === 'numeric' ? 'number' : 'text', step: s.type === 'numeric' ? 'any' : null,
          inputmode: s.type === 'numeric' ? 'decimal' : null, name: s.key, placeholder: 'default', size: 8,
          'aria-label': `${settingLabel(s)} for starting ${this.job} on ${this.unit}` }),
        s.unit ? h('span', { class: 'unit' }, s.unit) : null));
      this.form = h('form', { class: 'start-form', 'aria-label': `Start ${this.name} on ${this.unit}`,
        onsubmit: (e) => {
          e.preventDefault();
          const chosen = {};
          options.forEach((s) => {
            const text = this.form.elements[s.key].value;
            if (text.trim() !== '') chosen[s.key] = typedValue(s, text);
          });
          this.start(chosen);
        } },
      ...fields,
      h('p', { class: 'help' }, 'Leave a field empty for the job’s default.'),
      h('div', { class: 'form-buttons' },
        h('button', { type: 'button', class: 'secondary', onclick: () => this.closeForm() }, 'Cancel'),
        h('button', { type: 'submit', class: 'primary' }, `Start ${this.name}`)));
      this.head.after(this.form);
    }
    this.form.hidden = false;
    this.buttons.start.setAttribute('aria-expanded', 'true');
    this.refreshButtons();
    const first = this.form.querySelector('input');
    if (first) first.focus();
  }

  closeForm() {
    if (!this.form) return;
    this.form.hidden = true;
    if (this.buttons.start) this.buttons.start.setAttribute('aria-expanded', 'false');
  }

  async start(options) {
    const listed = Object.entries(options).map(([k, v]) => `${k} ${v}`).join(', ');
    const r = await this.act(`Starting ${this.name}${listed ? ` (${listed})` : ''}…`,
      () => api.runJob(this.unit, this.job, this.experiment, options),
      (reply) => `${this.name} started: ${(reply && reply.state) || 'ready'}`, 'Not started', 'ready');
    if (r !== undefined) this.closeForm();
  }

  async requestState(wanted) {
    const verb = wanted === 'sleeping' ? 'Pause' : 'Resume';
    const before = await this.jobWarnings();
    const accepted = await this.act(`${verb === 'Pause' ? 'Pausing' : 'Resuming'} ${this.name}…`,
      () => api.updateJob(this.unit, this.job, this.experiment, { $state: wanted }), null);
    if (accepted === undefined) return;
    this.awaitWorker((a) => a && a.state === wanted, `${verb} requested: waiting for ${this.unit} to confirm…`,
      wanted === 'sleeping' ? `${this.name} paused` : `${this.name} resumed: ready`, before);
  }

  async stop() {
    await this.act(`Stopping ${this.name}…`, () => api.stopJob(this.unit, this.job, this.experiment), (r) => {
      const mine = ((r && r.results) || []).find((x) => x.pioreactor_unit === this.unit);
      if (!mine) return [`Stop sent, but ${this.unit} did not answer (is it online?)`, 'error'];
      if (mine.error) return [`Not stopped: ${mine.error}`, 'error'];
      return (mine.stopped || []).includes(this.job) ? `${this.name} stopped` : `${this.name} was not running`;
    }, 'Failed', null);
  }

  // ---- feedback

  /**
   * Runs one request with its feedback: `pending` now, then `done(result)` (text, or [text, kind]), or the refusal.
   * Resolves to the result, or undefined when refused. `done` null: the caller goes on (e.g. waits for the worker).
   */
  async act(pending, call, done, failed = 'Failed', after = undefined) {
    this.stopWaiting();
    this.busy = true;
    this.say(pending, 'pending');
    this.refreshButtons();
    try {
      const result = await call();
      if (done) {
        const said = done(result);
        const state = after === undefined ? (this.activity ? this.activity.state : null) : after;
        if (Array.isArray(said)) this.say(said[0], said[1], state); else this.say(said, 'done', state);
      }
      return result === undefined ? null : result;
    } catch (e) {
      this.say(`${failed}: ${describe(e)}`, 'error');
      return undefined;
    } finally {
      this.busy = false;
      this.refreshButtons();
    }
  }

  /**
   * The leader passed a change on; the worker row shows when the worker has made it, and its log when it refused
   * (`warningsBefore`: the job's warnings before the request).
   */
  awaitWorker(check, pending, done, warningsBefore) {
    if (check(this.activity)) { this.say(done, 'done'); return; }
    this.say(pending, 'pending');
    const timer = setTimeout(() => {
      this.stopWaiting();
      this.say(`No confirmation from ${this.unit} within ${CONFIRM_WAIT_MS / 1000} s (the leader passed the request on): `
        + 'it may be offline, or have refused without saying why; its log may tell', 'error');
    }, CONFIRM_WAIT_MS);
    this.waiting = { check, done, timer };
    this.watchRefusal(warningsBefore);
  }

  stopWaiting() {
    if (this.waiting) {
      clearTimeout(this.waiting.timer);
      clearInterval(this.waiting.refusals);
    }
    this.waiting = null;
  }

  /**
   * The job's recent warnings in its worker's log, as "timestamp message" (null when the log cannot be read). A worker
   * takes a change (a setting, pause, resume) or refuses it and says why in its log: the page shows that reason.
   */
  async jobWarnings() {
    try {
      const lines = await api.logs(this.unit, 50);
      return (lines || []).filter((l) => l.task === this.job && /^(warning|error)$/i.test(l.level || ''))
        .map((l) => ({ key: `${l.timestamp} ${l.message}`, message: l.message }));
    } catch (e) {
      return null;
    }
  }

  /** While waiting for the worker to confirm: a new warning of the job is its refusal. */
  watchRefusal(before) {
    if (!before || !this.waiting) return;
    const seen = new Set(before.map((l) => l.key));
    const waiting = this.waiting;
    waiting.refusals = setInterval(async () => {
      const now = await this.jobWarnings();
      if (this.waiting !== waiting || !now) return;
      const fresh = now.find((l) => !seen.has(l.key));
      if (fresh) {
        this.stopWaiting();
        this.say(`Not done: ${this.unit} says “${fresh.message}”`, 'error');
      }
    }, 1000);
  }

  /** `state`: the job's state the text describes (by default the current one). */
  say(text, kind, state = this.activity ? this.activity.state : null) {
    this.said = { kind, state };
    this.feedbackEl.textContent = text;
    this.feedbackEl.className = `feedback ${kind}`;
  }

  destroy() {
    this.stopWaiting();
  }
}
