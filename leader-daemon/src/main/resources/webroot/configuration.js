// The Configuration view: the cluster's shared configuration (every unit runs it) or one unit's specific one (its
// options on top), edited as INI text. Save shows what changes and asks first; a refused save marks its lines and
// stores nothing. Beside the editor: the stored versions (view, restore), what the units run, and for a unit its
// merged configuration. Which one is edited is in the URL: #configuration/shared, #configuration/units/<unit>.
import { api } from './api.js';
import { historyList } from './confighistory.js';
import { configStatusBlock } from './configstatus.js';
import { confirmAction, confirmWith } from './dialogs.js';
import { diffView, lineDiff } from './diff.js';
import { IniEditor } from './editor.js';
import { date, h } from './format.js';
import { iniBlock, iniText, writeIn } from './ini.js';

const SHARED = 'shared';
/** The shared configuration's sections the leader writes in from its own config on every read (docs/api.md). */
const LEADER_SECTIONS = ['cluster.topology', 'cluster.addresses', 'mqtt'];

function describe(e) {
  return e.describe ? e.describe() : e.message;
}

/** The textarea gives back \n line ends whatever it was given: compare texts the same way. */
function normalized(text) {
  return (text || '').replace(/\r\n?/g, '\n');
}

/** A target is 'shared' or 'unit:<name>' (a unit may be called "shared"). */
function unitOf(target) {
  return target && target.startsWith('unit:') ? target.slice(5) : null;
}

function title(target) {
  const unit = unitOf(target);
  return unit ? `${unit}'s specific configuration` : 'the shared configuration';
}

/** "shared" or "units/<u>" (as in the URL, encoded) → a target; anything else → null (the view keeps what it shows). */
export function configurationTarget(path) {
  if (path === SHARED) return SHARED;
  if (!path || !path.startsWith('units/') || path.length <= 6) return null;
  try {
    return `unit:${decodeURIComponent(path.slice(6))}`;
  } catch (e) {
    return null; // a malformed escape
  }
}

/** The target as a URL path, for the app: 'shared' or 'units/<unit>' (encoded). */
export function configurationPath(target) {
  const unit = unitOf(target);
  return unit ? `units/${encodeURIComponent(unit)}` : SHARED;
}

/** A refusal's problems: the leader's list, else its one message (which names its line as "line N: …", if any). */
function problemsOf(e) {
  if (e.problems && e.problems.length) return e.problems;
  if (e.status !== 400) return null;
  const m = /^line (\d+): /.exec(e.message || '');
  return [{ line: m ? Number(m[1]) : 0, message: e.message }];
}

/** `onTarget(target)`: the user chose what to edit (the app puts it in the URL). */
export function configurationView(store, onTarget) {
  const $ = (sel) => document.querySelector(sel);
  const view = { shown: false, target: null, base: null, history: [], loads: 0, saving: false };
  const editor = new IniEditor('Configuration text', () => {
    renderDirty();
    $('#cfg-problems').classList.add('stale'); // the list stays: what the leader said of the text as it was sent
  });
  $('#cfg-editor').append(editor.el);

  /** Edited and not saved: the text differs from what the leader had when it was loaded. */
  function dirty() {
    return view.base !== null && editor.value !== view.base;
  }

  function say(text, kind) {
    const out = $('#cfg-feedback');
    out.textContent = text;
    out.className = `feedback ${kind || ''}`;
  }

  function renderDirty() {
    $('#cfg-dirty').hidden = !dirty();
    $('#cfg-save').disabled = view.base === null || view.saving;
    $('#cfg-revert').disabled = view.saving;
  }

  function renderTargets() {
    const select = $('#cfg-target');
    const units = store.sorted().map((w) => w.pioreactor_unit);
    const shown = unitOf(view.target);
    if (shown && !units.includes(shown)) units.push(shown);
    select.replaceChildren(h('option', { value: SHARED }, 'Shared (every unit)'),
      ...units.map((u) => h('option', { value: `unit:${u}` },
        store.loaded && !store.workers.has(u) ? `${u} (not in the inventory)` : `${u} (its own options)`)));
    select.value = view.target || SHARED;
    const unit = unitOf(view.target);
    $('#cfg-about').textContent = unit
      ? `${unit} runs the shared configuration with these options on top (they win). Empty: nothing of its own.`
      : 'Every unit runs this, with its own specific options on top. [cluster.topology], [cluster.addresses] and [mqtt] are the leader\'s own.';
  }

  function renderProblems(problems, e) {
    const list = $('#cfg-problems');
    list.replaceChildren(...(problems || []).map((p) => h('li', { class: 'error', 'data-line': p.line },
      p.line > 0
        ? h('button', { type: 'button', class: 'link', 'aria-label': `Go to line ${p.line}`, onclick: () => editor.goToLine(p.line) }, `line ${p.line}`)
        : h('span', { class: 'whole' }, 'whole text'),
      ': ', String(p.message || '').replace(/^line \d+: /, ''))));
    if (e && e.remediation) list.append(h('li', { class: 'remediation' }, `Try: ${e.remediation}`));
    list.hidden = !(problems && problems.length);
    list.classList.remove('stale');
  }

  function clearProblems() {
    editor.clearProblems();
    renderProblems(null);
  }

  function renderHistory() {
    $('#cfg-history').replaceChildren(historyList(view.history, restore));
  }

  function renderStatus() {
    const box = $('#cfg-status');
    const statuses = store.configStatus;
    const unit = unitOf(view.target);
    if (!statuses) {
      box.replaceChildren(h('p', { class: 'sub' }, store.loaded ? 'This leader does not say what its units run.' : 'Loading…'));
      return;
    }
    if (unit) {
      const s = statuses.get(unit);
      box.replaceChildren(h('h2', {}, `What ${unit} runs`),
        s ? configStatusBlock(s) : h('p', { class: 'sub' }, `${unit} is not in the inventory.`),
        s && s.applied_version ? h('p', { class: 'sub' }, `applied: version ${s.applied_version}${s.answered_at ? `, said at ${date(s.answered_at)}` : ''}`) : null);
      return;
    }
    const units = store.sorted().map((w) => w.pioreactor_unit);
    box.replaceChildren(h('h2', {}, 'What the units run'),
      units.length ? h('ul', { class: 'config-units' }, units.map((u) => h('li', { 'data-unit': u },
        h('a', { href: `#configuration/${configurationPath(`unit:${u}`)}` }, u), ' ',
        configStatusBlock(statuses.get(u)) || h('span', { class: 'sub' }, 'unknown'))))
        : h('p', { class: 'sub' }, 'No units in the inventory yet.'));
  }

  async function loadMerged(unit) {
    const box = $('#cfg-merged');
    box.hidden = !unit;
    if (!unit) return;
    $('#cfg-merged-title').textContent = `Merged: what ${unit} runs (shared, then its own)`;
    try {
      const got = await api.mergedConfig(unit);
      if (unitOf(view.target) !== unit) return;
      const sections = got && got.configs ? got.configs[unit] : null;
      $('#cfg-merged-body').replaceChildren(sections ? iniBlock(iniText(sections), `Merged configuration of ${unit}`)
        : h('p', { class: 'sub' }, 'The leader sent no merged configuration.'));
    } catch (e) {
      if (unitOf(view.target) !== unit) return;
      $('#cfg-merged-body').replaceChildren(h('p', { class: 'feedback error' }, `Could not load it: ${describe(e)}`));
    }
  }

  /** Reads the target's text and history from the leader into the editor (edits there are dropped). */
  async function load(target, quiet) {
    const token = ++view.loads;
    const unit = unitOf(target);
    if (!quiet) say(`Loading ${title(target)}…`, 'pending');
    editor.readOnly = true;
    try {
      const [text, history] = await Promise.all(unit ? [api.unitConfig(unit), api.unitConfigHistory(unit)]
        : [api.sharedConfig(), api.sharedConfigHistory()]);
      if (token !== view.loads) return;
      view.base = normalized(text);
      view.history = history || [];
      editor.value = view.base;
      editor.readOnly = false;
      clearProblems();
      if (!quiet) say('', '');
    } catch (e) {
      if (token !== view.loads) return;
      view.base = null;
      view.history = [];
      editor.value = '';
      say(`Could not load ${title(target)}: ${describe(e)}`, 'error');
    }
    renderHistory();
    renderDirty();
    loadMerged(unit);
  }

  /** Shows `target`, after asking whether to drop unsaved edits. False: the user kept them (and the old target). */
  async function switchTo(target) {
    if (target === view.target) return true;
    if (dirty() && !(await confirmAction(`Discard your changes to ${title(view.target)}?`,
      'They are not saved. Cancel to keep editing.', 'Discard changes'))) {
      renderTargets();
      return false;
    }
    view.target = target;
    onTarget(target);
    renderTargets();
    renderStatus();
    await load(target);
    return true;
  }

  async function restore(row) {
    if (dirty() && !(await confirmAction('Replace your unsaved changes?',
      `The editor then holds the version of ${date(row.timestamp)}; your changes are lost.`, 'Replace them'))) return;
    // The leader's own sections as they are now, not as they were then: they are not the version's to restore.
    const text = normalized(row.data);
    editor.value = unitOf(view.target) || view.base === null ? text : writeIn(text, view.base, LEADER_SECTIONS);
    clearProblems();
    renderDirty();
    say(dirty() ? `Loaded the version of ${date(row.timestamp)}: Save to store it (you see what changes first).`
      : `The version of ${date(row.timestamp)} is what the leader has now: nothing to save.`, dirty() ? 'pending' : 'done');
  }

  function refused(e) {
    const problems = problemsOf(e);
    if (!problems) {
      say(`Not saved: ${describe(e)}`, 'error');
      return;
    }
    editor.markProblems(problems);
    renderProblems(problems, e);
    say(`Not saved: the leader refused it (${problems.length === 1 ? '1 problem' : `${problems.length} problems`}); nothing was stored or sent.`, 'error');
    const first = problems.find((p) => p.line > 0);
    if (first) editor.goToLine(first.line);
  }

  async function save() {
    const target = view.target;
    const unit = unitOf(target);
    const text = editor.value;
    // Diffed against what is stored now, which is what the save replaces (another user may have saved since).
    let current;
    try {
      current = normalized(await (unit ? api.unitConfig(unit) : api.sharedConfig()));
    } catch (e) {
      say(`Not saved: could not read what the leader has now: ${describe(e)}`, 'error');
      return;
    }
    if (target !== view.target) return;
    if (current === text) {
      view.base = current;
      clearProblems();
      renderDirty();
      say('Nothing to save: this is what the leader has.', 'done');
      return;
    }
    const body = h('div', { class: 'save-confirm' },
      current !== view.base ? h('p', { class: 'feedback error' },
        'It was changed on the leader since you loaded it: saving replaces those changes too (all of it is below).') : null,
      h('p', {}, unit ? `Saving sends ${unit} its new configuration at once.` : 'Saving sends every unit its new configuration at once.'),
      diffView(lineDiff(current, text)));
    if (!(await confirmWith(`Save ${title(target)}?`, body, 'Save', { wide: true, kind: 'primary' }))) {
      say('Not saved.', '');
      return;
    }
    view.saving = true;
    renderDirty();
    say(`Saving ${title(target)}…`, 'pending');
    try {
      await (unit ? api.saveUnitConfig(unit, text) : api.saveSharedConfig(text));
    } catch (e) {
      if (target === view.target) refused(e);
      return;
    } finally {
      view.saving = false;
      renderDirty();
    }
    if (target !== view.target) return;
    clearProblems();
    say(`Saved ${title(target)} and sent it to ${unit || 'every unit'}: the status shows when it is applied.`, 'done');
    store.reloadConfigStatus();
    // The leader's copy from now on (it writes its own sections in); edits made meanwhile are kept.
    const typedSince = editor.value !== text;
    try {
      const [fresh, history] = await Promise.all(unit ? [api.unitConfig(unit), api.unitConfigHistory(unit)]
        : [api.sharedConfig(), api.sharedConfigHistory()]);
      if (target !== view.target) return;
      view.base = normalized(fresh);
      view.history = history || [];
      if (!typedSince) editor.value = view.base;
      renderHistory();
    } catch (e) {
      view.base = text;
    }
    renderDirty();
    loadMerged(unit);
  }

  $('#cfg-target').addEventListener('change', (e) => switchTo(e.target.value));
  $('#cfg-save').addEventListener('click', () => save());
  $('#cfg-revert').addEventListener('click', async () => {
    if (dirty() && !(await confirmAction('Discard your changes?', `The editor goes back to what the leader has for ${title(view.target)}.`,
      'Discard changes'))) return;
    load(view.target);
  });
  // Leaving (or reloading) the page with unsaved edits: the browser asks first.
  window.addEventListener('beforeunload', (e) => {
    if (dirty()) e.preventDefault();
  });

  store.subscribe((what, detail) => {
    if (!view.shown) return;
    if (what === 'config') {
      renderStatus();
      const unit = unitOf(view.target);
      if (unit && detail.includes(unit)) loadMerged(unit); // the shared one may have changed under it
    } else if (what === 'all' || what === 'added' || what === 'removed') {
      renderTargets();
      renderStatus();
      // A (re)connect: saves made meanwhile show, unless there are edits here.
      if (what === 'all' && !dirty() && view.target && !view.saving) load(view.target, true);
    }
  });

  return {
    /** `path`: what the URL names after #configuration/ (null: what was shown before, else the shared one). */
    async show(path) {
      view.shown = true;
      const target = configurationTarget(path) || view.target || SHARED;
      if (target !== view.target) {
        if (!(await switchTo(target)) && view.target) onTarget(view.target); // the URL goes back to what is kept
      } else {
        onTarget(target);
        renderTargets();
        renderStatus();
        if (!dirty() && !view.saving) load(target, true); // fresh each time it is shown
      }
    },
    hide() {
      view.shown = false;
    },
  };
}
