// Boot: ask the backend what state the workspace is in, then show the problem
// screen, the first-run wizard, or the app with its hash routes.
import * as api from './api.js';
import { h, fill } from './components/dom.js';
import { closeMenu } from './components/menu.js';
import { mountProblem } from './views/problem.js';
import { mountWizard } from './views/wizard.js';
import { mountDirectory } from './views/directory.js';
import { mountProfile } from './views/profile.js';
import { mountAudit } from './views/audit.js';

const app = document.getElementById('app');
let unmount = null;
let view = null;
let nav = {};

function show(status) {
  app.className = '';
  if (status.state === 'ready') return showApp(status);
  window.removeEventListener('hashchange', route);
  if (status.state === 'needs_setup') {
    return mountWizard(app, { status, onReady: (ready) => { history.replaceState(null, '', '#/directory'); show(ready); } });
  }
  return mountProblem(app, status);
}

function showApp(status) {
  view = h('main', { class: 'view', id: 'view' });
  const link = (href, testid, label) => h('a', { class: 'nav-link', href, 'data-testid': testid }, label);
  nav = { directory: link('#/directory', 'nav-directory', 'Directory'), audit: link('#/audit', 'nav-audit', 'Audit log') };
  fill(app, h('div', { class: 'shell' },
    h('header', { class: 'topbar' },
      h('div', { class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), 'Roster'),
      h('span', { class: 'company-name', 'data-testid': 'company-name' }, status.company?.name ?? ''),
      h('nav', { class: 'nav', 'aria-label': 'Main' }, nav.directory, nav.audit),
      status.actor && h('span', { class: 'actor', title: status.actor.email, 'data-testid': 'actor-name' }, status.actor.name)),
    view));
  window.addEventListener('hashchange', route);
  if (!/^#\/(directory|audit|people\/.+)$/.test(location.hash)) history.replaceState(null, '', '#/directory');
  route();
}

function route() {
  closeMenu();
  unmount?.();
  unmount = null;
  view.replaceChildren();
  view.scrollTop = 0;

  const hash = location.hash;
  const person = hash.match(/^#\/people\/(.+)$/);
  const section = person ? 'directory' : hash === '#/audit' ? 'audit' : 'directory';
  for (const [key, el] of Object.entries(nav)) {
    if (key === section) el.setAttribute('aria-current', 'page');
    else el.removeAttribute('aria-current');
  }
  view.classList.toggle('fill', !person && section === 'directory');

  if (person) unmount = mountProfile(view, { id: decodeURIComponent(person[1]) });
  else if (section === 'audit') unmount = mountAudit(view);
  else {
    if (hash !== '#/directory') history.replaceState(null, '', '#/directory');
    unmount = mountDirectory(view);
  }
}

async function boot() {
  try {
    show(await api.workspaceStatus());
  } catch (err) {
    mountProblem(app, { problem: { title: 'Roster could not start', message: err.message }, path: null });
  }
}

boot();
