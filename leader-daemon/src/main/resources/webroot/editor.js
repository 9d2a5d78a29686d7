// A text editor for INI: a plain textarea (so typing, selection, undo and paste are the browser's own) over a
// coloured copy of its text, beside a gutter of line numbers. Lines the leader refused are marked in the gutter.
import { h } from './format.js';
import { classify, lineElement, splitLines } from './ini.js';

export class IniEditor {
  /** `label`: what the text area is called for screen readers; `onInput()`: after every change by the user. */
  constructor(label, onInput) {
    this.problems = new Map(); // line -> [message]
    this.problemLines = 0; // how many lines the text had when they were marked
    this.gutter = h('div', { class: 'gutter', 'aria-hidden': 'true' });
    this.colours = h('div', { class: 'ini-lines', 'aria-hidden': 'true' });
    this.textarea = h('textarea', {
      class: 'ini-input', 'aria-label': label, spellcheck: 'false', wrap: 'off', autocomplete: 'off', autocapitalize: 'off',
      oninput: () => { this.scheduleRender(); onInput(); },
      onscroll: () => this.syncScroll(),
    });
    this.el = h('div', { class: 'ini-editor' },
      h('div', { class: 'gutter-clip' }, this.gutter),
      h('div', { class: 'code' }, this.colours, this.textarea));
    this.pending = 0;
    this.render();
  }

  get value() { return this.textarea.value; }

  /** Replaces the whole text (a load or a restore): from the top, no marks. */
  set value(text) {
    this.textarea.value = text;
    this.problems.clear();
    this.render();
    this.textarea.scrollTop = 0;
    this.textarea.scrollLeft = 0;
    this.syncScroll();
  }

  set readOnly(ro) { this.textarea.readOnly = ro; }

  /** Marks each refused line ([{line, message}]; line 0, the whole text, has no line to mark). */
  markProblems(problems) {
    this.problems.clear();
    for (const p of problems) {
      if (p.line > 0) this.problems.set(p.line, [...(this.problems.get(p.line) || []), p.message]);
    }
    this.problemLines = splitLines(this.value).length;
    this.render();
  }

  clearProblems() {
    if (!this.problems.size) return;
    this.problems.clear();
    this.render();
  }

  /** Puts the caret at the start of `line` and scrolls it into view, a third down the editor. */
  goToLine(line) {
    const lines = this.value.split('\n');
    const n = Math.min(Math.max(1, line), lines.length);
    const offset = lines.slice(0, n - 1).reduce((sum, l) => sum + l.length + 1, 0);
    this.textarea.focus({ preventScroll: true });
    this.textarea.setSelectionRange(offset, offset);
    const lineHeight = parseFloat(getComputedStyle(this.textarea).lineHeight) || 20;
    this.textarea.scrollTop = Math.max(0, (n - 1) * lineHeight - this.textarea.clientHeight / 3);
    this.textarea.scrollLeft = 0;
    this.syncScroll();
    this.el.scrollIntoView({ block: 'nearest' });
  }

  // Typing fast re-colours once per frame, not once per key.
  scheduleRender() {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => { this.pending = 0; this.render(); });
  }

  render() {
    const lines = classify(splitLines(this.value));
    // Lines added or removed since: the marked numbers would point at other lines, so the marks go.
    if (this.problems.size && lines.length !== this.problemLines) this.problems.clear();
    this.gutter.replaceChildren(...lines.map((_, i) => {
      const messages = this.problems.get(i + 1);
      return h('div', { class: messages ? 'problem' : null, title: messages ? messages.join('\n') : null, 'data-line': i + 1 }, String(i + 1));
    }));
    this.colours.replaceChildren(...lines.map((l, i) => {
      const el = lineElement(l);
      if (this.problems.has(i + 1)) el.classList.add('problem');
      return el;
    }));
    this.syncScroll();
  }

  syncScroll() {
    const { scrollTop: top, scrollLeft: left } = this.textarea;
    this.colours.style.transform = `translate(${-left}px, ${-top}px)`;
    this.gutter.style.transform = `translateY(${-top}px)`;
  }
}
