// A unit's self test on its card: the last run ("Self test: passed 6/6 at <time>", or the checks that failed, by name,
// with why), "running…" while it runs, and a "Self test" button that starts it under $experiment, as upstream's dialog.
import { api } from './api.js';
import { date, h } from './format.js';

const RUNNING = ['init', 'ready', 'sleeping'];

/** The words for a unit's `self_test` (from its worker row): null when it never ran. */
export function selfTestText(st) {
  if (!st) return null;
  if (RUNNING.includes(st.state)) return 'Self test: running…';
  const r = st.results;
  if (!r) return null;
  const total = r.passed.length + r.failed.length;
  if (r.failed.length === 0) return `Self test: passed ${r.passed.length}/${total} at ${date(r.at)}`;
  return `Self test: failed ${r.failed.length}/${total} at ${date(r.at)}: ${r.failed.join(', ')}`;
}

export class SelfTestBlock {
  constructor(unit) {
    this.unit = unit;
    this.textEl = h('span', { class: 'self-test-result', role: 'status' });
    this.reasonsEl = h('ul', { class: 'self-test-reasons' });
    this.button = h('button', { type: 'button', class: 'secondary', 'aria-label': `Self test ${unit}`,
      onclick: () => this.start() }, 'Self test');
    this.feedbackEl = h('span', { class: 'feedback', 'aria-live': 'polite' });
    this.el = h('div', { class: 'self-test' }, this.textEl, ' ', this.button, ' ', this.feedbackEl, this.reasonsEl);
  }

  update(w, inactive) {
    const st = w.self_test;
    this.textEl.textContent = selfTestText(st) || 'Self test: never run';
    const failed = st && st.results && !RUNNING.includes(st.state) ? st.results.failed : [];
    this.reasonsEl.replaceChildren(...failed.map((n) => h('li', {}, `${n}: ${(st.results.reasons || {})[n] || 'failed'}`)));
    this.button.disabled = inactive || (st && RUNNING.includes(st.state));
    this.button.title = inactive ? 'inactive units run nothing' : '';
  }

  async start() {
    this.button.disabled = true;
    this.feedbackEl.textContent = 'Starting the self test…';
    this.feedbackEl.className = 'feedback pending';
    try {
      await api.runJob(this.unit, 'self_test', '$experiment', {});
      this.feedbackEl.textContent = 'Started; the results show here when it ends';
      this.feedbackEl.className = 'feedback done';
    } catch (e) {
      this.feedbackEl.textContent = `Not started: ${e.describe ? e.describe() : e.message}`;
      this.feedbackEl.className = 'feedback error';
      this.button.disabled = false;
    }
  }
}
