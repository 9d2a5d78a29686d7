// Readings behind a card's charts: which stored tables feed which chart, and the points of one chart kept as
// plain arrays (no DOM per point): loaded from the leader's time_series routes, then extended by live readings.

export const LOOKBACK_HOURS = 4;
export const TARGET_POINTS = 300;
/** Points kept per series, live ones included (about an hour of one-second readings beyond the stored ones). */
const MAX_POINTS = 3000;

/** The charts of a card. `source`: the time_series route's data source (table, or table/column); `table`: in live readings. */
export const METRICS = [
  { key: 'od', title: 'Optical density', source: 'od_readings', table: 'od_readings', unit: 'AU' },
  { key: 'growth', title: 'Growth rate', source: 'growth_rates', table: 'growth_rates', unit: 'h⁻¹' },
  { key: 'temperature', title: 'Temperature', source: 'temperature_readings', table: 'temperature_readings', unit: '℃' },
  { key: 'rpm', title: 'Stirring', source: 'stirring_rates/measured_rpm', table: 'stirring_rates', unit: 'RPM' },
];

/** The chart a live reading's table feeds (od_readings_filtered feeds none), or null. */
export function metricOfTable(table) {
  return METRICS.find((m) => m.table === table) || null;
}

/** The points of one chart: series name → times (seconds since 1970, ascending) and values. */
export class SeriesSet {
  constructor() {
    this.series = new Map();
  }

  /** Replaces everything with a time_series answer: {series: [name], data: [[{x: ISO time, y: number}]]}. */
  replace(answer) {
    this.series = new Map();
    const names = (answer && answer.series) || [];
    names.forEach((name, i) => {
      const points = ((answer.data && answer.data[i]) || [])
        .map((p) => [Date.parse(p.x) / 1000, p.y])
        .filter(([x, y]) => Number.isFinite(x) && typeof y === 'number' && Number.isFinite(y))
        .sort((a, b) => a[0] - b[0]);
      const s = { xs: points.map((p) => p[0]), ys: points.map((p) => p[1]) };
      this.trim(s);
      this.series.set(String(name), s);
    });
  }

  /** Adds one live reading; false when it is not newer than what the series has (already loaded, or late). */
  add(name, isoTime, y) {
    const x = Date.parse(isoTime) / 1000;
    if (!Number.isFinite(x) || typeof y !== 'number' || !Number.isFinite(y)) return false;
    let s = this.series.get(String(name));
    if (!s) {
      s = { xs: [], ys: [] };
      this.series.set(String(name), s);
    }
    if (s.xs.length && x <= s.xs[s.xs.length - 1]) return false;
    s.xs.push(x);
    s.ys.push(y);
    this.trim(s);
    return true;
  }

  trim(s) {
    const oldest = Date.now() / 1000 - LOOKBACK_HOURS * 3600;
    let drop = 0;
    while (drop < s.xs.length && s.xs[drop] < oldest) drop += 1;
    drop = Math.max(drop, s.xs.length - MAX_POINTS);
    if (drop > 0) {
      s.xs.splice(0, drop);
      s.ys.splice(0, drop);
    }
  }

  names() {
    return [...this.series.keys()].filter((n) => this.series.get(n).xs.length).sort();
  }

  count() {
    let n = 0;
    this.series.forEach((s) => { n += s.xs.length; });
    return n;
  }

  /** The latest value of a series, or null. */
  latest(name) {
    const s = this.series.get(name);
    return s && s.ys.length ? s.ys[s.ys.length - 1] : null;
  }

  /** uPlot's data: [times, values of each of `names`], aligned on the union of their times (gaps as null). */
  aligned(names) {
    const lists = names.map((n) => this.series.get(n));
    if (lists.length === 1) return [lists[0].xs.slice(), lists[0].ys.slice()];
    const times = [...new Set(lists.flatMap((l) => l.xs))].sort((a, b) => a - b);
    const index = new Map(times.map((x, i) => [x, i]));
    return [times, ...lists.map((l) => {
      const ys = new Array(times.length).fill(null);
      l.xs.forEach((x, i) => { ys[index.get(x)] = l.ys[i]; });
      return ys;
    })];
  }
}
