// A card's small live charts (optical density, growth rate, temperature, stirring), drawn with uPlot on a canvas.
// Cheap for 100 cards: nothing is fetched or drawn until the card scrolls into view, live points for cards out of
// view only extend arrays, and redraws are batched to one per animation frame.
import { api } from './api.js';
import { h, numberText } from './format.js';
import { LOOKBACK_HOURS, METRICS, SeriesSet, TARGET_POINTS, metricOfTable } from './readings.js';

const UPLOT = '/webjars/uplot/1.6.30/dist/uPlot.esm.js';
const COLORS = ['#5331ca', '#1b7a3a', '#b3261e', '#8a5a00', '#1a4fd6', '#6b6f7a'];
let library = null;

/** uPlot, loaded once, on the first chart drawn (a page without charts in view never loads it). */
function uPlotLibrary() {
  if (!library) {
    library = import(UPLOT).then((m) => m.default).catch((e) => { library = null; throw e; });
  }
  return library;
}

function describe(e) {
  return e.describe ? e.describe() : e.message;
}

function plotOptions(names, width) {
  return {
    width, height: 110,
    legend: { show: false },
    cursor: { show: false },
    // One reading alone still gets a minute of time axis around it (uPlot would otherwise span years).
    scales: { x: { time: true, range: (u, min, max) => (min === max ? [min - 30, max + 30] : [min, max]) } },
    axes: [
      { size: 22, font: '10px system-ui, sans-serif', ticks: { size: 3 }, grid: { stroke: '#eceef2' } },
      { size: 42, font: '10px system-ui, sans-serif', ticks: { size: 3 }, grid: { stroke: '#eceef2' },
        values: (u, vals) => vals.map((v) => numberText(v)) },
    ],
    series: [{}, ...names.map((n, i) => ({
      // Dots only while there are too few readings to draw a line through.
      label: n, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true,
      points: { show: (u, si, i0, i1) => i1 - i0 < 3, size: 5, fill: COLORS[i % COLORS.length] },
    }))],
  };
}

function pointsIn(data) {
  let n = 0;
  for (let i = 1; i < data.length; i += 1) for (const v of data[i]) if (v !== null && v !== undefined) n += 1;
  return n;
}

export class UnitCharts {
  constructor(unit, experiment) {
    this.unit = unit;
    this.experiment = experiment;
    this.visible = false;
    this.loaded = false;
    this.loading = null;
    this.frame = 0;
    this.dirty = new Set();
    this.charts = new Map(); // metric key -> {metric, set, el, plotEl, legend, note, plot, names, error}
    this.el = h('div', { class: 'charts', role: 'group', 'aria-label': `Readings of ${unit}, last ${LOOKBACK_HOURS} h` });
  }

  /** The charts' elements, made the first time the card comes into view. */
  build() {
    this.el.replaceChildren(...METRICS.map((m) => {
      const c = {
        metric: m, set: new SeriesSet(), plot: null, names: '', error: null,
        plotEl: h('div', { class: 'plot' }),
        legend: h('span', { class: 'legend' }),
        note: h('p', { class: 'note' }, 'Loading…'),
      };
      c.el = h('figure', { class: 'chart', 'data-metric': m.key, 'data-points': '0', 'aria-label': `${m.title} of ${this.unit}` },
        h('figcaption', {}, h('span', { class: 'title' }, `${m.title} (${m.unit})`), c.legend), c.plotEl, c.note);
      this.charts.set(m.key, c);
      return c.el;
    }));
  }

  /** The card came into view (or left it): load and draw what is pending. */
  setVisible(visible) {
    this.visible = visible;
    if (!visible) return;
    if (!this.charts.size) this.build();
    if (!this.loaded) this.load();
    else this.scheduleDraw();
  }

  /** Stored readings, all four charts afresh (first view, polling, after a reconnect). */
  load() {
    if (this.loading) return this.loading;
    this.loading = Promise.all([...this.charts.values()].map(async (c) => {
      try {
        c.set.replace(await api.timeSeries(this.unit, this.experiment, c.metric.source, LOOKBACK_HOURS, TARGET_POINTS));
        c.el.dataset.from = 'stored'; // where its latest points came from: 'stored' readings or the live 'stream'
        c.error = null;
      } catch (e) {
        c.error = `Readings unavailable: ${describe(e)}`;
      }
      this.dirty.add(c.metric.key);
    })).then(() => {
      this.loaded = true;
      this.loading = null;
      this.scheduleDraw();
    });
    return this.loading;
  }

  /** Marks the stored readings as out of date: reloaded when next in view. */
  stale() {
    this.loaded = false;
    if (this.visible) this.load();
  }

  /** One live reading (from the event stream). Before the first load there is nothing to extend: the load brings it. */
  add(table, series, x, y) {
    const m = metricOfTable(table);
    if (!m || !this.loaded) return;
    const c = this.charts.get(m.key);
    if (c.set.add(series, x, y)) {
      c.el.dataset.from = 'stream';
      this.dirty.add(m.key);
      this.scheduleDraw();
    }
  }

  scheduleDraw() {
    if (!this.visible || this.frame || !this.dirty.size) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.drawDirty();
    });
  }

  async drawDirty() {
    if (!this.visible) return;
    let uPlot;
    const keys = [...this.dirty];
    this.dirty.clear();
    const needsLibrary = keys.some((k) => this.charts.get(k).set.count() > 0);
    if (needsLibrary) {
      try {
        uPlot = await uPlotLibrary();
      } catch (e) {
        keys.forEach((k) => { this.charts.get(k).note.textContent = `Charts unavailable: the chart library did not load (${e.message})`; });
        return;
      }
    }
    keys.forEach((k) => this.draw(this.charts.get(k), uPlot));
  }

  draw(c, uPlot) {
    const names = c.set.names();
    if (!names.length) {
      if (c.plot) { c.plot.destroy(); c.plot = null; c.names = ''; }
      c.legend.replaceChildren();
      c.note.textContent = c.error || `No readings in the last ${LOOKBACK_HOURS} h`;
      c.note.className = c.error ? 'note error' : 'note';
      c.el.dataset.points = '0';
      return;
    }
    const data = c.set.aligned(names);
    if (!c.plot || c.names !== names.join('\n')) {
      if (c.plot) c.plot.destroy();
      c.plot = new uPlot(plotOptions(names, Math.max(140, c.plotEl.clientWidth || 200)), data, c.plotEl);
      c.names = names.join('\n');
    } else {
      c.plot.setData(data);
    }
    c.note.textContent = c.error || '';
    c.note.className = c.error ? 'note error' : 'note';
    // What uPlot holds, for anyone checking the chart (the browser test counts it).
    c.el.dataset.points = String(pointsIn(c.plot.data));
    c.legend.replaceChildren(...names.map((n, i) => h('span', { class: 'series' },
      h('span', { class: 'swatch', style: `background:${COLORS[i % COLORS.length]}` }), `${n} ${numberText(c.set.latest(n))}`)));
  }

  /** The card's width changed. */
  resize() {
    this.charts.forEach((c) => {
      if (c.plot) c.plot.setSize({ width: Math.max(140, c.plotEl.clientWidth || 200), height: 110 });
    });
  }

  destroy() {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.charts.forEach((c) => { if (c.plot) c.plot.destroy(); });
  }
}
