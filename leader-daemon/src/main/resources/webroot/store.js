// The page's model: workers, experiments and what each unit does with the cluster configuration, kept live from the leader's event stream (which also brings readings).
// On every (re)connect it reloads everything, so nothing missed while disconnected stays stale.
import { api } from './api.js';

export class Store {
  constructor() {
    this.workers = new Map();
    this.experiments = [];
    this.leader = null;
    /** Whether the first load is in (views render nothing before: "no workers yet" would be a guess). */
    this.loaded = false;
    this.live = false;
    /** When the stream last brought readings (ms; 0: never): charts poll the stored readings while it stays quiet. */
    this.readingsSeenAt = 0;
    /** unit -> its configuration status (/api/config/status); null: not known (an older leader, or not loaded). */
    this.configStatus = null;
    this.listeners = new Set();
    this.logListeners = new Set();
  }

  /** fn(event): stored log lines as they come, {lines: [GET /api/logs rows, oldest first], dropped, oldest_dropped_id}. */
  onLogs(fn) { this.logListeners.add(fn); }

  /** fn(what, detail): what is 'all', 'added', 'worker', 'removed' (detail: the unit), 'experiments', 'connection',
   *  'readings' (detail: the event's data), or 'config' (detail: the units whose configuration status changed). */
  subscribe(fn) { this.listeners.add(fn); }
  notify(what, detail) { this.listeners.forEach((fn) => fn(what, detail)); }

  async reload() {
    const [health, workers, experiments, config] = await Promise.all([api.health(), api.workers(), api.experiments(),
      api.configStatus().catch(() => null)]);
    this.leader = health;
    this.configStatus = config ? new Map(Object.entries(config)) : null;
    this.workers = new Map(workers.map((w) => [w.pioreactor_unit, w]));
    this.experiments = experiments;
    this.loaded = true;
    this.notify('all');
  }

  async reloadExperiments() {
    this.experiments = await api.experiments();
    this.notify('experiments');
  }

  /**
   * Reads /api/config/status again (on every "config" event, and after a save) and tells which units changed. Events
   * that come while a read is under way make one more read, not one each: 100 units answering at once cost two.
   */
  async reloadConfigStatus() {
    if (this.configReading) {
      this.configReadAgain = true;
      return;
    }
    this.configReading = true;
    try {
      do {
        this.configReadAgain = false;
        const next = new Map(Object.entries((await api.configStatus()) || {}));
        const before = this.configStatus || new Map();
        const changed = [...new Set([...before.keys(), ...next.keys()])]
          .filter((u) => JSON.stringify(before.get(u)) !== JSON.stringify(next.get(u)));
        this.configStatus = next;
        if (changed.length) this.notify('config', changed);
      } while (this.configReadAgain);
    } catch (e) {
      // kept as it was: the next event, or the reload after a reconnect, reads it again
    } finally {
      this.configReading = false;
    }
  }

  /** After a new sign-in: a stream refused with 401 does not retry by itself. */
  reconnect() {
    if (this.source) this.source.close();
    this.connect();
  }

  connect() {
    if (!this.pageHooks) {
      // A page left for another is kept by the browser (back/forward cache) with its stream open: a few of those hold
      // every connection the browser allows to the leader, and the next page waits. Close on leaving, reopen on return.
      this.pageHooks = true;
      window.addEventListener('pagehide', () => {
        if (this.source) this.source.close();
        this.source = null;
      });
      window.addEventListener('pageshow', (e) => {
        if (e.persisted && !this.source) this.connect();
      });
    }
    const source = new EventSource('/api/events');
    source.onopen = () => {
      this.reload().then(() => this.setLive(true)).catch(() => this.setLive(false));
    };
    source.onerror = () => {
      // EventSource retries by itself (the server asks for 1 s); mark the page stale meanwhile.
      this.setLive(false);
    };
    source.addEventListener('worker', (e) => {
      const w = JSON.parse(e.data);
      const before = this.workers.get(w.pioreactor_unit);
      this.workers.set(w.pioreactor_unit, w);
      this.notify(before ? 'worker' : 'added', w.pioreactor_unit);
      // Experiments' worker counts change only with an assignment (jobs and their settings change far more often).
      if (!before || before.experiment !== w.experiment) this.reloadExperiments().catch(() => {});
    });
    source.addEventListener('worker_removed', (e) => {
      const { pioreactor_unit: unit } = JSON.parse(e.data);
      this.workers.delete(unit);
      this.notify('removed', unit);
      this.reloadExperiments().catch(() => {});
    });
    source.addEventListener('experiment', () => this.reloadExperiments().catch(() => {}));
    // A unit's configuration status changed (data {}): the statuses are read again.
    source.addEventListener('config', () => this.reloadConfigStatus());
    // Readings as they are stored (about once a second): {experiment, readings: [{pioreactor_unit, table, series, x, y}]}.
    source.addEventListener('readings', (e) => {
      this.readingsSeenAt = Date.now();
      this.notify('readings', JSON.parse(e.data));
    });
    source.addEventListener('logs', (e) => {
      const event = JSON.parse(e.data);
      this.logListeners.forEach((fn) => fn(event));
    });
    this.source = source;
  }

  setLive(live) {
    if (this.live !== live) {
      this.live = live;
      this.notify('connection');
    }
  }

  sorted() {
    return [...this.workers.values()].sort((a, b) => a.pioreactor_unit.localeCompare(b.pioreactor_unit));
  }
}
