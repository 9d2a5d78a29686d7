// The Logs view (#logs?unit=…&experiment=…&level=…): the stored log lines of every unit, newest first, then live from
// the event stream's "logs" events. Log text comes from units and from anyone who can post a line: it is only ever set
// as text (h() and textContent), never as HTML.
import { api } from './api.js';
import { date, h } from './format.js';

/** Upstream's levels, lowest first (LogMessage.LEVELS): a minimum level keeps that one and those above. */
export const LEVELS = ['DEBUG', 'INFO', 'NOTICE', 'WARNING', 'ERROR'];
const PAGE = 100;
/** Lines kept on the page: past this, live lines push the oldest out (Load older brings them back). */
const MAX_SHOWN = 1000;
/** A refill asks for this many lines at most; more than that missed: the view loads afresh. */
const REFILL = 1000;

/** The filters in the URL's query ('unit=worker1&level=WARNING'); unknown keys and levels are ignored. */
export function parseFilters(query) {
  const p = new URLSearchParams(query || '');
  const level = (p.get('level') || '').toUpperCase();
  return { unit: p.get('unit') || '', experiment: p.get('experiment') || '', level: LEVELS.includes(level) ? level : '' };
}

function filterQuery(f) {
  const p = new URLSearchParams();
  if (f.unit) p.set('unit', f.unit);
  if (f.experiment) p.set('experiment', f.experiment);
  if (f.level) p.set('level', f.level);
  return p.toString();
}

/** The same filters as GET /api/logs parameters. */
function apiQuery(f, extra) {
  const p = new URLSearchParams();
  if (f.unit) p.set('unit', f.unit);
  if (f.experiment) p.set('experiment', f.experiment);
  if (f.level) p.set('min_level', f.level);
  for (const [k, v] of Object.entries(extra)) p.set(k, String(v));
  return p.toString();
}

function matches(f, row) {
  if (f.unit && row.pioreactor_unit !== f.unit) return false;
  if (f.experiment && row.experiment !== f.experiment) return false;
  return !f.level || LEVELS.indexOf(String(row.level).toUpperCase()) >= LEVELS.indexOf(f.level);
}

function describe(e) {
  return e.describe ? e.describe() : e.message;
}

function lineRow(r) {
  const level = String(r.level || '').toUpperCase();
  const task = [r.task, r.source && r.source !== r.task ? r.source : null].filter(Boolean).join(' · ');
  // The level and time are the sender's too: a class only for a known level, a time as sent when it is no date.
  const when = Number.isNaN(Date.parse(r.timestamp)) ? String(r.timestamp ?? '—') : date(r.timestamp);
  return h('tr', { 'data-id': r.id, class: LEVELS.includes(level) ? `level-${level.toLowerCase()}` : null },
    h('td', { class: 'time', title: r.timestamp || '' }, when),
    h('td', {}, r.pioreactor_unit),
    h('td', {}, r.experiment === '$experiment' ? '—' : r.experiment),
    h('td', {}, h('span', { class: 'level' }, level)),
    h('td', {}, task),
    h('td', { class: 'message' }, r.message));
}

/** `keepInUrl(query)`: puts the filters in the address, so the view can be linked. */
export function logsView(store, keepInUrl) {
  const $ = (sel) => document.querySelector(sel);
  const view = { shown: false, filters: null, ids: new Set(), newestId: null, oldestId: null, loading: false,
    missed: false, more: false, error: null, generation: 0 };

  function say(text, kind) {
    $('#logs-feedback').textContent = text;
    $('#logs-feedback').className = `feedback ${kind || ''}`;
  }

  function renderChoices() {
    const f = view.filters || parseFilters('');
    const units = new Set([...store.workers.keys()]);
    if (store.leader) units.add(store.leader.unit);
    if (f.unit) units.add(f.unit); // a linked unit no longer in the inventory keeps its lines
    $('#logs-unit').replaceChildren(h('option', { value: '' }, 'every unit'),
      ...[...units].sort().map((u) => h('option', { value: u }, u)));
    const exps = store.experiments.map((e) => e.experiment);
    if (f.experiment && f.experiment !== '$experiment' && !exps.includes(f.experiment)) exps.push(f.experiment);
    $('#logs-experiment').replaceChildren(h('option', { value: '' }, 'every experiment'),
      h('option', { value: '$experiment' }, 'none (the units’ own lines)'),
      ...exps.map((e) => h('option', { value: e }, e)));
    $('#logs-level').replaceChildren(h('option', { value: '' }, 'every level'),
      ...LEVELS.map((l) => h('option', { value: l }, `${l} and above`)));
    $('#logs-unit').value = f.unit;
    $('#logs-experiment').value = f.experiment;
    $('#logs-level').value = f.level;
  }

  function renderState() {
    const shown = view.ids.size;
    const filtered = view.filters && (view.filters.unit || view.filters.experiment || view.filters.level);
    const err = $('#logs-error');
    err.hidden = !view.error;
    err.replaceChildren(...(view.error ? [view.error, ' ', h('button', { type: 'button', onclick: () => load() }, 'Try again')] : []));
    $('#logs-empty').hidden = view.loading || !!view.error || shown > 0;
    $('#logs-empty').textContent = filtered
      ? 'No log lines match these filters. New ones appear here as units send them; choose “every unit”, “every experiment” and “every level” to see all.'
      : 'No log lines yet. Lines appear here as the units send them (jobs starting and stopping, the add flow, warnings).';
    $('#logs-table').hidden = shown === 0;
    $('#logs-count').textContent = view.loading ? 'Loading…' : shown ? `${shown} lines, newest first` : '';
    $('#logs-older').hidden = shown === 0 || !view.more;
  }

  function setRows(rows) {
    view.ids = new Set(rows.map((r) => r.id));
    view.newestId = rows.length ? rows[0].id : view.newestId;
    view.oldestId = rows.length ? rows[rows.length - 1].id : null;
    $('#logs-rows').replaceChildren(...rows.map(lineRow));
  }

  /** Newer rows (any order) at the top; the oldest fall off past MAX_SHOWN. */
  function addNewer(rows) {
    const fresh = rows.filter((r) => matches(view.filters, r) && !view.ids.has(r.id)).sort((a, b) => b.id - a.id);
    if (!fresh.length) return;
    fresh.forEach((r) => view.ids.add(r.id));
    view.newestId = Math.max(view.newestId ?? 0, fresh[0].id);
    $('#logs-rows').prepend(...fresh.map(lineRow));
    const body = $('#logs-rows');
    while (body.children.length > MAX_SHOWN) {
      view.ids.delete(Number(body.lastElementChild.dataset.id));
      body.lastElementChild.remove();
      view.more = true;
    }
    view.oldestId = body.lastElementChild ? Number(body.lastElementChild.dataset.id) : null;
    renderState();
  }

  /** The newest page for the filters, afresh. */
  async function load() {
    const generation = ++view.generation;
    view.loading = true;
    view.error = null;
    view.missed = false;
    renderState();
    try {
      const rows = await api.logLines(apiQuery(view.filters, { limit: PAGE }));
      if (generation !== view.generation) return;
      view.newestId = null;
      setRows(rows);
      view.more = rows.length === PAGE;
      say('', '');
    } catch (e) {
      if (generation !== view.generation) return;
      // What is shown may be another filter's lines: cleared, and loaded afresh on Try again or when the stream is back.
      view.newestId = null;
      setRows([]);
      view.error = `Could not load the log lines: ${describe(e)}. Check that the leader is running, then try again.`;
    }
    view.loading = false;
    renderState();
    if (view.missed) refill();
  }

  /** What came after line `after` (default: the newest shown): lines the stream dropped, or sent while it was away. */
  async function refill(after = view.newestId) {
    if (view.loading) { view.missed = true; return; }
    if (after === null) { load(); return; }
    const generation = view.generation;
    try {
      const rows = await api.logLines(apiQuery(view.filters, { after_id: after, limit: REFILL }));
      if (generation !== view.generation) return;
      if (rows.length === REFILL) load(); else addNewer(rows);
    } catch (e) {
      say(`Could not fetch the lines missed: ${describe(e)}. They show after a reload.`, 'error');
    }
  }

  async function loadOlder() {
    if (view.oldestId === null) return;
    const generation = view.generation;
    const button = $('#logs-older');
    button.disabled = true;
    say('Loading older lines…', 'pending');
    try {
      const rows = (await api.logLines(apiQuery(view.filters, { before_id: view.oldestId, limit: PAGE })))
        .filter((r) => !view.ids.has(r.id));
      if (generation !== view.generation) return;
      rows.forEach((r) => view.ids.add(r.id));
      $('#logs-rows').append(...rows.map(lineRow));
      if (rows.length) view.oldestId = rows[rows.length - 1].id;
      view.more = rows.length === PAGE;
      say(view.more ? '' : 'No older lines.', view.more ? '' : 'done');
    } catch (e) {
      say(`Could not load older lines: ${describe(e)}. Try again.`, 'error');
    } finally {
      button.disabled = false;
      renderState();
    }
  }

  function setFilters(f) {
    view.filters = f;
    keepInUrl(filterQuery(f));
    renderChoices();
    load();
  }

  const fromSelects = () => ({ unit: $('#logs-unit').value, experiment: $('#logs-experiment').value, level: $('#logs-level').value });
  for (const id of ['#logs-unit', '#logs-experiment', '#logs-level']) {
    $(id).addEventListener('change', () => setFilters(fromSelects()));
  }
  $('#logs-older').addEventListener('click', loadOlder);

  store.onLogs((event) => {
    if (!view.shown || view.filters === null) return;
    if (view.loading) { view.missed = true; return; }
    const before = view.newestId;
    addNewer(event.lines || []);
    // The stream left out lines older than those it sent (a flood): ask for them, from the oldest left out (or from
    // the newest shown before, if that is older).
    if (event.dropped > 0) {
      const from = event.oldest_dropped_id - 1;
      refill(before === null ? from : Math.min(before, from));
    }
  });
  let wasLive = store.live;
  store.subscribe((what) => {
    if (!view.shown) return;
    if (what === 'connection') {
      if (store.live && !wasLive && view.filters) refill(); // back: what came while the stream was away
      wasLive = store.live;
    } else if (what === 'all' || what === 'added' || what === 'removed' || what === 'experiments') renderChoices();
  });

  return {
    /** `query`: the filters in the URL (after #logs?). */
    show(query) {
      const f = parseFilters(query);
      const same = view.filters && filterQuery(f) === filterQuery(view.filters);
      view.shown = true;
      wasLive = store.live;
      view.filters = f;
      keepInUrl(filterQuery(f));
      renderChoices();
      if (!same || view.error) load(); else refill();
    },
    hide() { view.shown = false; },
  };
}
