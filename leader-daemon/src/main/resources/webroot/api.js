// The leader's REST API, with errors turned into readable messages (docs/api.md).
export class ApiError extends Error {
  constructor(body, status) {
    super(body && body.error ? body.error : `request failed (${status})`);
    this.status = status;
    this.step = body && body.step;
    this.cause = body && body.cause;
    this.remediation = body && body.remediation;
    /** A refused configuration: [{line, message}] (line 1-based, 0: the whole text). */
    this.problems = body && Array.isArray(body.problems) ? body.problems : null;
  }
  describe() {
    return [this.message, this.cause, this.remediation && `Try: ${this.remediation}`].filter(Boolean).join(' — ');
  }
}

/** The leader's answer as text; a refusal (or no answer) throws an ApiError. */
async function request(method, path, body) {
  let res;
  try {
    res = await fetch(path, {
      method,
      // Tells the leader this is the page: a 401 then comes without a Basic challenge, and our sign-in form shows.
      headers: body === undefined ? { 'X-Pioreactor-UI': '1' } : { 'content-type': 'application/json', 'X-Pioreactor-UI': '1' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (e) {
    throw new ApiError({ error: 'cannot reach the leader', remediation: 'check that the leader is running' }, 0);
  }
  const text = await res.text();
  if (res.status === 401 && path !== '/api/session') onSignInNeeded();
  if (!res.ok) throw new ApiError(parsed(text), res.status);
  return text;
}

function parsed(text) {
  try { return text ? JSON.parse(text) : null; } catch (e) { return null; }
}

async function call(method, path, body) {
  return parsed(await request(method, path, body));
}

/** The leader refuses bodies over 64 KiB (413): said before sending, in words. */
const BODY_LIMIT = 64 * 1024;
function configBody(code) {
  const body = { code };
  const size = new Blob([JSON.stringify(body)]).size;
  if (size > BODY_LIMIT) {
    throw new ApiError({ error: `the configuration is too large to send (${Math.ceil(size / 1024)} KiB; the leader takes at most 64 KiB)`,
      remediation: 'remove comments or options it does not need' }, 413);
  }
  return body;
}

let onSignInNeeded = () => {};
/** What to do when the leader says the session has ended (the page shows its sign-in form). */
export function whenSignInNeeded(handler) {
  onSignInNeeded = handler;
}

const u = encodeURIComponent;
export const api = {
  health: () => call('GET', '/api/health'),
  session: () => call('GET', '/api/session'),
  signIn: (username, password) => call('POST', '/api/session', { username, password }),
  signOut: () => call('DELETE', '/api/session'),
  workers: () => call('GET', '/api/workers'),
  experiments: () => call('GET', '/api/experiments'),
  discover: () => call('GET', '/api/workers/discover'),
  add: (name, ipv4, model, version) => call('POST', '/api/workers/setup',
    Object.fromEntries(Object.entries({ name, ipv4_address: ipv4, model, version }).filter(([, v]) => v))),
  remove: (unit) => call('DELETE', `/api/workers/${u(unit)}`),
  setActive: (unit, active) => call('PUT', `/api/workers/${u(unit)}/is_active`, { is_active: active ? 1 : 0 }),
  blink: (unit) => call('POST', `/api/workers/${u(unit)}/blink`),
  reboot: (unit) => call('POST', `/api/units/${u(unit)}/system/reboot`),
  syncClocks: (units) => call('POST', '/api/clocks/sync', { units: units || [] }),
  assign: (unit, exp) => call('PUT', `/api/experiments/${u(exp)}/workers`, { pioreactor_unit: unit }),
  unassign: (unit, exp) => call('DELETE', `/api/experiments/${u(exp)}/workers/${u(unit)}`),
  createExperiment: (name, description) => call('POST', '/api/experiments', { experiment: name, description }),
  latestExperiment: () => call('GET', '/api/experiments/latest'),
  logs: (unit, limit) => call('GET', `/api/logs?unit=${u(unit)}&limit=${limit}`),
  /** GET /api/logs with `query` its parameters, already encoded (unit, experiment, min_level, before_id, after_id, limit). */
  logLines: (query) => call('GET', `/api/logs?${query}`),
  shutdown: (unit) => call('POST', `/api/units/${u(unit)}/system/shutdown`),
  /** Every assignment of every experiment removed: {task_id, …, unassigned: [{pioreactor_unit, experiment}]}. */
  unassignEveryone: () => call('DELETE', '/api/workers/assignments'),
  jobDescriptors: () => call('GET', '/api/jobs/descriptors'),
  unitLabels: (exp) => call('GET', `/api/experiments/${u(exp)}/unit_labels`),
  setUnitLabel: (exp, unit, label) => call('PUT', `/api/experiments/${u(exp)}/unit_labels`, { unit, label }),
  // Jobs: `unit` may be '$broadcast' (encoded as %24broadcast), meaning every worker assigned to the experiment.
  runJob: (unit, job, exp, options) => call('POST', `/api/workers/${u(unit)}/jobs/run/job_name/${u(job)}/experiments/${u(exp)}`,
    { options, args: [] }),
  stopJob: (unit, job, exp) => call('POST', `/api/workers/${u(unit)}/jobs/stop/job_name/${u(job)}/experiments/${u(exp)}`),
  stopAllJobs: (unit, exp) => call('POST', `/api/workers/${u(unit)}/jobs/stop/experiments/${u(exp)}`),
  updateJob: (unit, job, exp, settings) => call('PATCH', `/api/workers/${u(unit)}/jobs/update/job_name/${u(job)}/experiments/${u(exp)}`,
    { settings }),
  // The cluster configuration (INI text): shared by every unit, and each unit's own on top of it.
  sharedConfig: () => request('GET', '/api/config/shared'),
  saveSharedConfig: async (code) => call('PATCH', '/api/config/shared', configBody(code)),
  sharedConfigHistory: () => call('GET', '/api/config/shared/history'),
  unitConfig: (unit) => request('GET', `/api/config/units/${u(unit)}/specific`),
  saveUnitConfig: async (unit, code) => call('PATCH', `/api/config/units/${u(unit)}/specific`, configBody(code)),
  unitConfigHistory: (unit) => call('GET', `/api/config/units/${u(unit)}/specific/history`),
  /** {configs: {unit: {section: {key: value}}}, errors}: what the unit runs, shared and specific merged. */
  mergedConfig: (unit) => call('GET', `/api/config/units/${u(unit)}`),
  /** {unit: {version, since, state, applied_version, reason, jobs_on_older, answered_at}} */
  configStatus: () => call('GET', '/api/config/status'),
  /** Stored readings: `source` is a table (od_readings) or table/column (stirring_rates/measured_rpm). */
  timeSeries: (unit, exp, source, lookbackHours, points) => call('GET',
    `/api/workers/${u(unit)}/experiments/${u(exp)}/time_series/${source.split('/').map(u).join('/')}`
    + `?lookback=${lookbackHours}&target_points=${points}`),
};
