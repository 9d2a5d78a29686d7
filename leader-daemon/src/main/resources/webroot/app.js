// The page: four views of one live model, "Inventory" (every worker), "Pioreactors" (an experiment's units, their
// jobs and readings), "Configuration" (the cluster configuration) and "Logs" (every unit's log lines). The view, and
// what it shows, are in the URL: #inventory, #pioreactors/<e>, #configuration/shared or #configuration/units/<u>,
// #logs?unit=<u>&experiment=<e>&level=<minimum>.
import { api, whenSignInNeeded } from './api.js';
import { configurationPath, configurationView } from './configuration.js';
import { h } from './format.js';
import { inventoryView } from './inventory.js';
import { logsView } from './logs.js';
import { pioreactorsView } from './pioreactors.js';
import { signIn } from './signin.js';
import { Store } from './store.js';

const store = new Store();
const $ = (sel) => document.querySelector(sel);
const TITLES = { inventory: 'Inventory', pioreactors: 'Pioreactors', configuration: 'Configuration', logs: 'Logs' };

/** The view's place in the URL, without a history entry of its own, and its tab's link to come back to it. */
function keepInUrl(name, path) {
  history.replaceState(null, '', `#${name}/${path}`);
  $(`a[data-nav="${name}"]`).setAttribute('href', `#${name}/${path}`);
}

const views = {
  inventory: inventoryView(store),
  pioreactors: pioreactorsView(store, (experiment) => keepInUrl('pioreactors', encodeURIComponent(experiment))),
  configuration: configurationView(store, (target) => keepInUrl('configuration', configurationPath(target))),
  logs: logsView(store, (query) => {
    const hash = query ? `#logs?${query}` : '#logs';
    history.replaceState(null, '', hash);
    $('a[data-nav="logs"]').setAttribute('href', hash);
  }),
};

/** #pioreactors/<experiment> → ['pioreactors', experiment]; #configuration/<path> → ['configuration', path (encoded)];
 *  anything else is the Inventory. */
function parseHash() {
  const logs = location.hash.match(/^#logs(?:\?(.*))?$/); // #logs?unit=worker1&level=WARNING
  if (logs) return ['logs', logs[1] || ''];
  const [name, ...rest] = location.hash.replace(/^#/, '').split('/');
  const path = rest.join('/') || null;
  if (name === 'configuration') return ['configuration', path];
  if (name !== 'pioreactors') return ['inventory', null];
  let experiment = null;
  try {
    experiment = path ? decodeURIComponent(path) : null;
  } catch (e) {
    experiment = null; // a malformed escape: the view picks the latest experiment
  }
  return ['pioreactors', experiment];
}

function route() {
  const [name, what] = parseHash(); // what: the experiment, or the configuration shown
  for (const [key, v] of Object.entries(views)) {
    const shown = key === name;
    $(`#${key}-view`).hidden = !shown;
    const link = $(`a[data-nav="${key}"]`);
    if (shown) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
    if (!shown) v.hide();
  }
  $('#page-title').textContent = TITLES[name];
  document.title = `${TITLES[name]} · Pioreactor cluster`;
  $('#add-button').hidden = name !== 'inventory';
  views[name].show(what);
}

function renderConnection() {
  const el = $('#connection');
  el.textContent = store.live ? 'Live' : 'Reconnecting… (data may be stale)';
  el.className = store.live ? 'live' : 'stale';
}

function renderLeader() {
  const leaderIncluded = store.leader && store.workers.has(store.leader.unit);
  $('#leader-name').textContent = store.leader
    ? `Leader: ${store.leader.unit}${leaderIncluded ? ' (also a worker)' : ' (leader only, not a worker)'}`
    : '';
}

store.subscribe((what) => {
  if (what === 'connection') renderConnection();
  else if (what === 'all' || what === 'added' || what === 'removed') renderLeader();
});
window.addEventListener('hashchange', route);
renderConnection();

// Signed in (or no sign-in needed) before the event stream opens: EventSource cannot send credentials itself.
async function start() {
  let session = { auth_required: false, signed_in: true };
  try {
    session = await api.session();
  } catch (e) {
    // an older leader without /api/session: open
  }
  if (session.auth_required) {
    const out = h('button', { type: 'button', id: 'sign-out', onclick: async () => { await api.signOut().catch(() => {}); location.reload(); } }, 'Sign out');
    $('.top-right').append(out);
  }
  if (!session.signed_in) await signIn();
  store.connect();
  route();
}
whenSignInNeeded(() => signIn().then(() => store.reconnect()));
start();
