// One Pioreactor in the chosen experiment: name, its label there (edited in place), state, its jobs, its charts,
// and "Stop all jobs". Built once and updated in place when its worker row changes.
import { api } from './api.js';
import { UnitCharts } from './charts.js';
import { clockLine } from './clock.js';
import { configStatusBlock } from './configstatus.js';
import { confirmAction } from './dialogs.js';
import { h, stateText } from './format.js';
import { healthBlock } from './health.js';
import { JobRow } from './jobrow.js';
import { displayedJobs } from './jobs.js';
import { SelfTestBlock } from './selftest.js';

function describe(e) {
  return e.describe ? e.describe() : e.message;
}

export class UnitCard {
  /** `labels`: {get(unit), saved(unit, label)}, the experiment's labels kept by the view. */
  constructor(w, experiment, descriptors, labels) {
    this.unit = w.pioreactor_unit;
    this.experiment = experiment;
    this.labels = labels;
    this.w = w;
    const unit = this.unit;
    this.stateEl = h('span', { class: 'state', role: 'status' });
    this.labelEl = h('span', { class: 'unit-label' });
    this.labelButton = h('button', { type: 'button', class: 'link', 'aria-label': `Edit label of ${unit}`, onclick: () => this.editLabel() }, 'Edit label');
    this.labelBox = h('span', { class: 'label-box' }, this.labelEl, this.labelButton);
    this.reasonEl = h('p', { class: 'reason', hidden: true }, 'inactive: it runs nothing until set active (',
      h('a', { href: '#inventory' }, 'Inventory'), ')');
    this.feedbackEl = h('p', { class: 'feedback', 'aria-live': 'polite' });
    this.configEl = h('div', { class: 'config-box' });
    this.healthEl = h('div', { class: 'health-box' });
    this.clockEl = h('div', { class: 'clock-box' });
    this.jobs = descriptors ? displayedJobs(descriptors).map((d) => new JobRow(unit, experiment, d)) : [];
    this.charts = new UnitCharts(unit, experiment);
    this.selfTest = new SelfTestBlock(unit);
    this.stopAllButton = h('button', { type: 'button', class: 'danger-text', 'aria-label': `Stop all jobs on ${unit}`,
      onclick: () => this.stopAll() }, 'Stop all jobs…');
    this.el = h('article', { class: 'pio-card', 'data-unit': unit, 'aria-label': `Pioreactor ${unit}` },
      h('header', {}, h('h3', {}, unit), this.labelBox, this.stateEl),
      this.reasonEl,
      this.healthEl,
      this.configEl,
      this.clockEl,
      this.selfTest.el,
      h('div', { class: 'jobs' }, ...(descriptors ? this.jobs.map((j) => j.el)
        : [h('p', { class: 'feedback error' }, 'The job list did not load; reload the page to try again.')])),
      this.charts.el,
      h('div', { class: 'actions' }, this.stopAllButton),
      this.feedbackEl);
    this.renderLabel();
    this.update(w);
  }

  update(w) {
    this.w = w;
    const inactive = w.is_active !== 1;
    this.el.classList.toggle('inactive', inactive);
    this.reasonEl.hidden = !inactive;
    this.stateEl.textContent = stateText(w);
    this.stateEl.className = `state ${w.state || 'unknown'}`;
    this.healthEl.replaceChildren(...[healthBlock(w)].filter(Boolean));
    this.stopAllButton.disabled = inactive;
    this.clockEl.replaceChildren(...[clockLine(w)].filter(Boolean));
    this.jobs.forEach((j) => j.update(w, inactive));
    this.selfTest.update(w, inactive);
  }

  /** What the unit does with the cluster configuration (null: not known, nothing shown). */
  showConfig(status) {
    this.configEl.replaceChildren(...[configStatusBlock(status)].filter(Boolean));
  }

  renderLabel() {
    const label = this.labels.get(this.unit);
    this.labelEl.textContent = label || 'no label';
    this.labelEl.className = label ? 'unit-label' : 'unit-label none';
  }

  editLabel() {
    const input = h('input', { value: this.labels.get(this.unit) || '', 'aria-label': `Label of ${this.unit} in ${this.experiment}`,
      placeholder: 'e.g. flask A', size: 14, maxlength: 64 });
    const cancel = () => { form.replaceWith(this.labelBox); this.labelButton.focus(); };
    const form = h('form', { class: 'label-form', onsubmit: async (e) => {
      e.preventDefault();
      const label = input.value.trim();
      form.querySelectorAll('input, button').forEach((x) => { x.disabled = true; });
      this.say(label ? `Saving the label “${label}”…` : 'Removing the label…', 'pending');
      try {
        await api.setUnitLabel(this.experiment, this.unit, label);
        this.labels.saved(this.unit, label);
        this.renderLabel();
        this.say(label ? `Label saved: “${label}”` : 'Label removed', 'done');
        cancel();
      } catch (err) {
        this.say(`Label not saved: ${describe(err)}`, 'error');
        form.querySelectorAll('input, button').forEach((x) => { x.disabled = false; });
        input.focus();
      }
    }, onkeydown: (e) => { if (e.key === 'Escape') cancel(); } },
    input,
    h('button', { type: 'submit', class: 'primary' }, 'Save'),
    h('button', { type: 'button', class: 'secondary', onclick: cancel }, 'Cancel'));
    this.labelBox.replaceWith(form);
    input.focus();
    input.select();
  }

  async stopAll() {
    const running = (this.w.activities || []).filter((a) => a.experiment === this.experiment).map((a) => a.job);
    const ok = await confirmAction(`Stop all jobs on ${this.unit}?`,
      running.length ? `These stop now: ${running.join(', ')}.`
        : `Nothing runs on ${this.unit} in “${this.experiment}” as far as the leader knows; the stop is sent anyway.`,
      `Stop all jobs on ${this.unit}`);
    if (!ok) return;
    this.say(`Stopping all jobs on ${this.unit}…`, 'pending');
    try {
      const r = await api.stopAllJobs(this.unit, this.experiment);
      const mine = (r.results || []).find((x) => x.pioreactor_unit === this.unit);
      if (!mine) this.say(`Stop sent, but ${this.unit} did not answer (is it online?)`, 'error');
      else if (mine.error) this.say(`Not stopped: ${mine.error}`, 'error');
      else this.say((mine.stopped || []).length ? `Stopped: ${mine.stopped.join(', ')}` : 'Nothing was running', 'done');
    } catch (e) {
      this.say(`Not stopped: ${describe(e)}`, 'error');
    }
  }

  say(text, kind) {
    this.feedbackEl.textContent = text;
    this.feedbackEl.className = `feedback ${kind}`;
  }

  destroy() {
    this.jobs.forEach((j) => j.destroy());
    this.charts.destroy();
  }
}
