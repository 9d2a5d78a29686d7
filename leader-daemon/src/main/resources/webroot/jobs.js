// What the page knows about jobs: which ones it shows (the leader's job descriptors with display: true), which
// options their start form asks for, and how a job's live activity is found in a worker row.

/** The options a job's start form asks for (each described by the job's published setting of that name). */
export const START_OPTIONS = {
  stirring: ['target_rpm'],
  od_reading: ['interval'],
  temperature_automation: ['target_temperature'],
};

/** The jobs a Pioreactor card lists, in the descriptors' order. */
export function displayedJobs(descriptors) {
  return descriptors.filter((d) => d.display === true);
}

/** A setting's name for people: its label, else its key. */
export function settingLabel(setting) {
  return setting.label || setting.key;
}

/** The descriptor of a setting (or a bare one, for settings a job publishes that its descriptor does not list). */
export function settingOf(descriptor, key) {
  return (descriptor.published_settings || []).find((s) => s.key === key) || { key, type: 'string', editable: false };
}

/** The start form's fields for a job: descriptors of its start options. */
export function startOptions(descriptor) {
  return (START_OPTIONS[descriptor.job_name] || []).map((key) => settingOf(descriptor, key));
}

/** The job's activity in `experiment` on worker row `w` ({experiment, job, state, settings?}), or null when not running. */
export function activityOf(w, job, experiment) {
  return (w.activities || []).find((a) => a.job === job && a.experiment === experiment) || null;
}

/** Text typed into a setting's input as the value to send: numbers for numeric settings, else the text. */
export function typedValue(setting, text) {
  const t = text.trim();
  if (setting.type === 'numeric' || setting.type === 'number') {
    const n = Number(t);
    return t !== '' && Number.isFinite(n) ? n : t; // a non-number goes as typed: the worker says what is wrong
  }
  if (setting.type === 'boolean') return t === 'true' || t === '1';
  return t;
}

/** Whether a published value is the one asked for (numbers compare as numbers: "600.0" is 600). */
export function sameValue(published, wanted) {
  if (published === null || published === undefined) return false;
  const p = typeof published === 'object' ? published.value : published;
  if (typeof wanted === 'number') return Number(p) === wanted;
  return String(p) === String(wanted);
}

/** How long the page waits for a worker to report a requested change before saying it has not. */
export const CONFIRM_WAIT_MS = 15000;
