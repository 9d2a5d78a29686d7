// The Inventory view: cards (or a compact table) of every worker, live from the event stream.
// It renders only while shown; showing it renders it afresh.
import { api } from './api.js';
import { Actions } from './actions.js';
import { openAddDialog } from './add.js';
import { assignmentSummary, card, row } from './cards.js';
import { wireSyncClocks } from './clock.js';
import { confirmAction } from './dialogs.js';
import { h } from './format.js';
import { experimentNameProblem } from './names.js';
import { wireUnassignAll } from './unassignall.js';

export function inventoryView(store) {
  const $ = (sel) => document.querySelector(sel);
  const view = { shown: false, mode: localStorage.getItem('inventory-view') || 'cards', search: '', state: '', experiment: '' };
  const actions = new Actions(store, (unit) => renderOne(unit));

  function visible(w) {
    if (view.search && !w.pioreactor_unit.toLowerCase().includes(view.search.toLowerCase())) return false;
    if (view.state === 'inactive') return w.is_active === 0;
    if (view.state === 'offline') { if (w.state === 'ready') return false; }
    else if (view.state && (w.state || 'never') !== view.state) return false;
    if (view.experiment === '-') return !w.experiment;
    if (view.experiment && w.experiment !== view.experiment) return false;
    return true;
  }

  function element(w) {
    return view.mode === 'table' ? row(w, store, actions) : card(w, store, actions);
  }

  // Performance marks (render-all, render-one, inventory-first-render) let anyone time the page in the browser's
  // devtools, and the browser test report it for 100 workers.
  let firstRender = true;

  function renderAll() {
    const started = performance.now();
    const workers = store.sorted();
    const shown = workers.filter(visible);
    const list = $('#workers');
    const frag = document.createDocumentFragment();
    shown.forEach((w) => frag.append(element(w)));
    if (view.mode === 'table') {
      list.replaceChildren(h('table', { class: 'workers-table', 'aria-label': 'Workers' },
        h('thead', {}, h('tr', {}, ...['Name', 'State', 'IPv4', 'Experiment', 'Active', 'Version', 'Last seen', 'Uptime', 'Config', 'Actions']
          .map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, frag)));
    } else {
      list.replaceChildren(frag);
    }
    $('#count').textContent = shown.length === workers.length ? `${workers.length} workers` : `${shown.length} of ${workers.length} workers`;
    $('#empty').hidden = workers.length > 0;
    renderSummary();
    renderBulk();
    renderExperimentFilter();
    performance.measure('render-all', { start: started });
    if (firstRender && workers.length > 0) {
      firstRender = false;
      performance.mark('inventory-first-render');
    }
  }

  function renderOne(unit) {
    if (!view.shown) return;
    const started = performance.now();
    const w = store.workers.get(unit);
    const old = document.querySelector(`#workers [data-unit="${CSS.escape(unit)}"]`);
    if (!w) { if (old) old.remove(); renderSummary(); return; }
    if (!old || !visible(w)) { renderAll(); return; }
    // Keep focus on the control the user was using when the card is replaced.
    const focusedLabel = old.contains(document.activeElement) ? document.activeElement.getAttribute('aria-label') : null;
    const fresh = element(w);
    old.replaceWith(fresh);
    if (focusedLabel) {
      const again = fresh.querySelector(`[aria-label="${CSS.escape(focusedLabel)}"]`);
      if (again) again.focus();
    }
    renderSummary();
    performance.measure('render-one', { start: started });
  }

  function renderSummary() {
    $('#summary').replaceChildren(assignmentSummary(store));
  }

  function renderExperimentFilter() {
    const select = $('#filter-experiment');
    const current = select.value;
    select.replaceChildren(h('option', { value: '' }, 'any experiment'), h('option', { value: '-' }, 'unassigned'),
      ...store.experiments.map((e) => h('option', { value: e.experiment }, e.experiment)));
    select.value = current;
  }

  function renderBulk() {
    const workers = store.sorted();
    const leaderIncluded = store.leader && store.workers.has(store.leader.unit);
    const note = leaderIncluded ? `, including the leader ${store.leader.unit}` : '';
    $('#identify-all').textContent = `Identify all ${workers.length} workers${note}`;
    $('#reboot-all').textContent = `Reboot all ${workers.length} workers${note}…`;
  }

  $('#add-button').addEventListener('click', () => openAddDialog());
  $('#search').addEventListener('input', (e) => { view.search = e.target.value; renderAll(); });
  $('#filter-state').addEventListener('change', (e) => { view.state = e.target.value; renderAll(); });
  $('#filter-experiment').addEventListener('change', (e) => { view.experiment = e.target.value; renderAll(); });
  for (const b of document.querySelectorAll('[data-view]')) {
    b.addEventListener('click', () => {
      view.mode = b.dataset.view;
      localStorage.setItem('inventory-view', view.mode);
      document.querySelectorAll('[data-view]').forEach((x) => x.setAttribute('aria-pressed', String(x === b)));
      renderAll();
    });
    b.setAttribute('aria-pressed', String(b.dataset.view === view.mode));
  }
  wireSyncClocks($('#sync-clocks'), $('#bulk-feedback'));
  $('#identify-all').addEventListener('click', () => store.sorted().forEach((w) => actions.identify(w.pioreactor_unit)));
  $('#reboot-all').addEventListener('click', async () => {
    const names = store.sorted().map((w) => w.pioreactor_unit);
    const ok = await confirmAction('Reboot all workers?', `These units restart now: ${names.join(', ')}.`, `Reboot ${names.length} workers`);
    if (!ok) return;
    try {
      const r = await api.reboot('$broadcast');
      const refused = (r.results || []).filter((x) => !x.ok);
      $('#bulk-feedback').textContent = `Reboot sent: ${(r.results || []).filter((x) => x.ok).length} accepted`
        + (refused.length ? `, refused: ${refused.map((x) => `${x.pioreactor_unit} (${x.error})`).join(', ')}` : '')
        + ((r.no_answer || []).length ? `, no answer: ${r.no_answer.join(', ')}` : '');
      (r.results || []).filter((x) => x.ok).forEach((x) => actions.rebooting.set(x.pioreactor_unit, ['rebooting']));
      renderAll();
    } catch (e) {
      $('#bulk-feedback').textContent = `Reboot failed: ${e.describe ? e.describe() : e.message}`;
    }
  });
  wireUnassignAll(store, $('#unassign-all'), $('#bulk-feedback'));
  $('#new-experiment').addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = $('#experiment-name');
    const problem = experimentNameProblem(input.value);
    const out = $('#experiment-feedback');
    if (problem) { out.textContent = problem; out.className = 'feedback error'; return; }
    try {
      await api.createExperiment(input.value.trim());
      out.textContent = `Created “${input.value.trim()}”`;
      out.className = 'feedback done';
      input.value = '';
      await store.reloadExperiments();
    } catch (err) {
      out.textContent = `Failed: ${err.describe ? err.describe() : err.message}`;
      out.className = 'feedback error';
    }
  });

  store.subscribe((what, unit) => {
    if (what === 'worker' && store.workers.has(unit)) actions.trackReboot(store.workers.get(unit));
    if (!view.shown || what === 'connection' || what === 'readings') return;
    if (what === 'worker') renderOne(unit);
    else if (what === 'config') {
      // `unit` is the list of units whose configuration status changed: their cards alone, unless that is most.
      if (unit.length > 20) renderAll(); else unit.forEach(renderOne);
    } else renderAll();
  });
  // "Last seen" and uptime are relative: refresh their text now and then.
  setInterval(() => { if (view.shown && !document.querySelector('dialog[open]')) renderAll(); }, 30000);

  return {
    show() { view.shown = true; if (store.loaded) renderAll(); },
    hide() { view.shown = false; },
  };
}
