// The Pioreactors view: the chosen experiment's units as cards with their jobs and charts, live from the event
// stream. Cards are kept and updated in place; charts load only for cards in view; while the stream brings no
// readings (an older leader, or a dropped stream) the charts in view poll the stored readings every 5 s.
import { api } from './api.js';
import { confirmAction } from './dialogs.js';
import { h } from './format.js';
import { UnitCard } from './unitcard.js';

const POLL_MS = 5000;
/** Readings on the stream more recently than this: no polling needed. */
const STREAM_QUIET_MS = 10000;

function describe(e) {
  return e.describe ? e.describe() : e.message;
}

/** `onExperiment(name)`: the user chose an experiment (the app puts it in the URL). */
export function pioreactorsView(store, onExperiment) {
  const $ = (sel) => document.querySelector(sel);
  const view = { shown: false, experiment: null, descriptors: null, labels: new Map(), labelsProblem: null };
  const cards = new Map(); // unit -> UnitCard
  const byChartElement = new WeakMap(); // charts element -> UnitCard
  let firstRender = true;
  const labels = {
    get: (unit) => view.labels.get(unit),
    saved: (unit, label) => { if (label) view.labels.set(unit, label); else view.labels.delete(unit); },
  };

  const observer = new IntersectionObserver((entries) => {
    for (const e of entries) {
      const card = byChartElement.get(e.target);
      if (card) card.charts.setVisible(e.isIntersecting);
    }
  }, { rootMargin: '200px 0px' });

  function assigned() {
    return store.sorted().filter((w) => view.experiment && w.experiment === view.experiment);
  }

  function configOf(unit) {
    return store.configStatus ? store.configStatus.get(unit) : null;
  }

  function dropCard(unit) {
    const card = cards.get(unit);
    if (!card) return;
    observer.unobserve(card.charts.el);
    card.destroy();
    card.el.remove();
    cards.delete(unit);
  }

  function dropAll() {
    [...cards.keys()].forEach(dropCard);
  }

  /** Makes the list match the experiment's units, reusing (and updating) the cards it has. */
  function renderAll() {
    if (!store.loaded) return;
    const started = performance.now();
    const workers = assigned();
    const wanted = new Set(workers.map((w) => w.pioreactor_unit));
    [...cards.keys()].filter((u) => !wanted.has(u)).forEach(dropCard);
    const list = $('#pioreactors');
    const order = workers.map((w) => {
      let card = cards.get(w.pioreactor_unit);
      if (card) card.update(w);
      else {
        card = new UnitCard(w, view.experiment, view.descriptors, labels);
        cards.set(w.pioreactor_unit, card);
        byChartElement.set(card.charts.el, card);
      }
      card.showConfig(configOf(w.pioreactor_unit));
      return card.el;
    });
    const same = order.length === list.children.length && order.every((el, i) => list.children[i] === el);
    if (!same) {
      const frag = document.createDocumentFragment();
      order.forEach((el) => frag.append(el));
      list.replaceChildren(frag);
      cards.forEach((c) => observer.observe(c.charts.el));
    }
    renderCount(workers);
    performance.measure('pioreactors-render-all', { start: started });
    if (firstRender && workers.length > 0) {
      firstRender = false;
      performance.mark('pioreactors-first-render');
    }
  }

  function renderOne(unit) {
    const w = store.workers.get(unit);
    const belongs = w && w.experiment === view.experiment;
    const card = cards.get(unit);
    if (belongs && card) card.update(w);
    else if (belongs || card) renderAll();
  }

  function renderCount(workers) {
    const active = workers.filter((w) => w.is_active === 1).length;
    $('#pio-count').textContent = !view.experiment ? ''
      : `${workers.length} Pioreactor${workers.length === 1 ? '' : 's'} in “${view.experiment}”`
        + (active < workers.length ? ` (${workers.length - active} inactive)` : '');
    const empty = $('#pio-empty');
    empty.hidden = Boolean(view.experiment && workers.length);
    if (!store.experiments.length) {
      empty.replaceChildren('No experiments yet. Create one in the ', h('a', { href: '#inventory' }, 'Inventory'), '.');
    } else if (!workers.length) {
      empty.replaceChildren(`No Pioreactors are assigned to “${view.experiment}”. Assign them in the `,
        h('a', { href: '#inventory' }, 'Inventory'), '.');
    }
    $('#pio-stop-all').disabled = !workers.length;
    $('#pio-stop-all').textContent = view.experiment ? `Stop all jobs in “${view.experiment}”…` : 'Stop all jobs…';
  }

  function renderExperimentSelect() {
    const select = $('#pio-experiment');
    const names = store.experiments.map((e) => e.experiment);
    if (view.experiment && !names.includes(view.experiment)) names.unshift(view.experiment);
    select.replaceChildren(...(names.length ? names : ['']).map((n) => h('option', { value: n }, n || 'no experiments yet')));
    select.value = view.experiment || '';
    select.disabled = !names.length;
    const row = store.experiments.find((e) => e.experiment === view.experiment);
    $('#pio-experiment-info').textContent = row && row.description ? row.description : '';
  }

  function say(text, kind) {
    const out = $('#pio-feedback');
    out.textContent = text;
    out.className = `feedback ${kind || ''}`;
  }

  async function loadDescriptors() {
    if (view.descriptors) return;
    try {
      view.descriptors = await api.jobDescriptors();
    } catch (e) {
      say(`The job list did not load: ${describe(e)}`, 'error');
    }
  }

  async function loadLabels() {
    const experiment = view.experiment;
    if (!experiment) return;
    try {
      const got = await api.unitLabels(experiment);
      if (experiment !== view.experiment) return;
      view.labels = new Map(Object.entries(got || {}));
      view.labelsProblem = null;
    } catch (e) {
      view.labels = new Map();
      view.labelsProblem = `Labels unavailable: ${describe(e)}`;
    }
    cards.forEach((c) => c.renderLabel());
    $('#pio-labels-note').textContent = view.labelsProblem || '';
  }

  /** The experiment to show: `experiment`, else the one shown before, else the latest. */
  async function pick(experiment) {
    if (experiment || view.experiment) return experiment || view.experiment;
    try {
      const latest = await api.latestExperiment();
      return latest ? latest.experiment : null;
    } catch (e) {
      return store.experiments.length ? store.experiments[0].experiment : null;
    }
  }

  /** Shows `next` (see pick); its labels fill in when they come. */
  function showExperiment(next) {
    if (next !== view.experiment) {
      dropAll();
      view.experiment = next;
      view.labels = new Map();
      if (next) onExperiment(next);
      loadLabels();
    }
    renderExperimentSelect();
    renderAll();
  }

  async function choose(experiment) {
    showExperiment(await pick(experiment));
  }

  async function stopAllInExperiment() {
    const e = view.experiment;
    const running = assigned().filter((w) => (w.activities || []).some((a) => a.experiment === e));
    const ok = await confirmAction(`Stop all jobs in “${e}”?`,
      running.length ? `Every job of this experiment stops now, on: ${running.map((w) => w.pioreactor_unit).join(', ')}.`
        : 'Nothing runs in this experiment as far as the leader knows; the stop is sent to its units anyway.',
      'Stop all jobs');
    if (!ok) return;
    say(`Stopping all jobs in “${e}”…`, 'pending');
    try {
      const r = await api.stopAllJobs('$broadcast', e);
      const results = r.results || [];
      const stopped = results.filter((x) => !x.error && (x.stopped || []).length);
      const failed = results.filter((x) => x.error);
      say((stopped.length ? `Stopped: ${stopped.map((x) => `${x.pioreactor_unit} (${x.stopped.join(', ')})`).join('; ')}` : 'Nothing was running')
        + (failed.length ? `. Not stopped: ${failed.map((x) => `${x.pioreactor_unit} (${x.error})`).join('; ')}` : ''),
      failed.length ? 'error' : 'done');
    } catch (err) {
      say(`Not stopped: ${describe(err)}`, 'error');
    }
  }

  $('#pio-experiment').addEventListener('change', (e) => choose(e.target.value));
  $('#pio-stop-all').addEventListener('click', stopAllInExperiment);

  store.subscribe((what, detail) => {
    if (!view.shown) return;
    if (what === 'readings') {
      if (detail.experiment !== view.experiment) return;
      for (const r of detail.readings || []) {
        const card = cards.get(r.pioreactor_unit);
        if (card) card.charts.add(r.table, r.series, r.x, r.y);
      }
    } else if (what === 'worker') renderOne(detail);
    else if (what === 'config') detail.forEach((u) => { if (cards.has(u)) cards.get(u).showConfig(configOf(u)); });
    else if (what === 'connection') { /* the header shows it */ }
    else if (what === 'experiments' && view.experiment) { renderExperimentSelect(); renderCount(assigned()); }
    else if (!view.experiment && store.experiments.length) choose(null); // the first experiment was just made
    else {
      // A (re)load of everything: readings and labels may have been missed while disconnected.
      if (what === 'all') {
        loadLabels();
        cards.forEach((c) => c.charts.stale());
        if (!view.descriptors) loadDescriptors().then(() => { if (view.descriptors) { dropAll(); renderAll(); } });
      }
      renderExperimentSelect();
      renderAll();
    }
  });

  // The fallback while the stream brings no readings: the charts in view reload what is stored.
  setInterval(() => {
    if (!view.shown || document.hidden || Date.now() - store.readingsSeenAt < STREAM_QUIET_MS) return;
    cards.forEach((c) => { if (c.charts.visible) c.charts.load(); });
  }, POLL_MS);

  let resizing = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizing);
    resizing = setTimeout(() => cards.forEach((c) => { if (c.charts.visible) c.charts.resize(); }), 150);
  });

  return {
    async show(experiment) {
      view.shown = true;
      // Both at once: the cards need the job list, and which experiment.
      const [next] = await Promise.all([pick(experiment), loadDescriptors()]);
      showExperiment(next);
    },
    hide() {
      view.shown = false;
    },
  };
}
