// Boot: ask the backend what state the workspace is in, then show the problem
// screen, the first-run wizard, the sign-in screen, or the app with its hash
// routes. Admins get Directory, Audit log and Admin (and #/people/ID/merge, the
// merge screen, #/delete/ID[,ID…], the delete screen, and #/admin/imports/ID,
// an HRIS import run); an employee gets their own profile and the account menu. When a
// call finds the session gone (api.js fires SIGNED_OUT), the sign-in screen
// comes back with the backend's message.
import * as api from './api.js';
import { h, fill, profileHref, idsFromEraseRoute } from './components/dom.js';
import { closeMenu, toggleMenu } from './components/menu.js';
import { closeAllDialogs } from './components/dialog.js';
import { hideToast, muteErrors, showError } from './components/toast.js';
import { onStatusChange } from './changes.js';
import { formatDate, initials } from './format.js';
import { mountProblem } from './views/problem.js';
import { mountSignIn } from './views/sign-in.js';
import { mountUpgrading } from './views/upgrading.js';

// The other screens load once the first one shows (or when one is needed first).
let appViews = null;
const loadAppViews = () => (appViews ??= import('./views/app-views.js'));

const app = document.getElementById('app');
let screen = null; // 'upgrading' | 'problem' | 'wizard' | 'sign-in' | 'app'
let status = null; // the last workspace status
let unmount = null; // of the routed view, or of the sign-in screen
let view = null;
let nav = {};
let lapsedSlot = null;
let companyName = null;

const isAdmin = () => String(status?.actor?.role ?? '').toLowerCase() === 'admin';
// #/admin, #/admin/<page> and #/admin/<page>/<id> (an import run).
const adminRoute = (pages) => new RegExp(`^#/admin(?:/(${pages.join('|')})(?:/([^/]+))?)?$`);

function leaveScreen() {
  window.removeEventListener('hashchange', onHashChange);
  closeMenu();
  closeAllDialogs();
  unmount?.();
  unmount = null;
}

function show(next) {
  status = next;
  leaveScreen();
  app.className = '';
  if (next.state === 'ready') return next.signedIn ? showApp() : showSignIn(null);
  if (next.state === 'needs_setup') {
    screen = 'wizard';
    return loadAppViews().then(({ mountWizard }) => {
      if (screen !== 'wizard' || status !== next) return;
      mountWizard(app, { status: next, onReady: (ready) => { history.replaceState(null, '', '#/directory'); show(ready); } });
    });
  }
  screen = 'problem';
  return mountProblem(app, next);
}

function showSignIn(message) {
  leaveScreen();
  hideToast();
  muteErrors(true); // calls still in flight from the app fail with "Sign in first."
  screen = 'sign-in';
  unmount = mountSignIn(app, { status, message, onSignedIn: show });
  requestAnimationFrame(() => setTimeout(loadAppViews)); // after the sign-in screen's first frame
}

// A call found no session (or the person signed out): back to the sign-in
// screen, once; while it is showing, later failures change nothing.
window.addEventListener(api.SIGNED_OUT, (e) => {
  if (screen !== 'app') return;
  const message = e.detail?.message ?? null;
  if (!message) history.replaceState(null, '', '#/directory'); // signed out on purpose: start afresh next time
  status = { ...status, signedIn: false, actor: null };
  showSignIn(message);
});

async function signOut() {
  try {
    await api.signOut();
  } catch (err) {
    showError(err.message);
  }
}

function showApp() {
  screen = 'app';
  muteErrors(false);
  const admin = isAdmin();
  const actor = status.actor;
  view = h('main', { class: 'view', id: 'view' });
  lapsedSlot = h('div', { class: 'shell-banner' });
  companyName = h('span', { class: 'company-name', 'data-testid': 'company-name' }, status.company?.name ?? '');
  const link = (href, testid, label) => h('a', { class: 'nav-link', href, 'data-testid': testid }, label);
  nav = admin ? {
    directory: link('#/directory', 'nav-directory', 'Directory'),
    audit: link('#/audit', 'nav-audit', 'Audit log'),
    admin: link('#/admin/mail', 'nav-admin', 'Admin'),
  } : {};

  const actorButton = h('button', {
    type: 'button', class: 'actor', title: actor?.email ?? '', 'data-testid': 'actor-menu', 'aria-haspopup': 'menu', 'aria-expanded': 'false',
  },
  h('span', { class: 'actor-avatar', 'aria-hidden': 'true' }, initials(actor?.name)),
  h('span', { class: 'actor-name', 'data-testid': 'actor-name' }, actor?.name ?? ''));
  actorButton.addEventListener('click', () => toggleMenu(actorButton, [
    { label: 'My profile', testid: 'menu-my-profile', hint: actor?.email, onSelect: () => { location.hash = profileHref(actor.id); } },
    { label: 'Change password', testid: 'menu-change-password', onSelect: () => loadAppViews().then((v) => v.openChangePasswordDialog()) },
    { label: 'Sign out', testid: 'sign-out', onSelect: () => signOut() },
  ], { label: 'Account' }));

  fill(app, h('div', { class: 'shell' },
    h('header', { class: 'topbar' },
      h('div', { class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), 'Roster'),
      companyName,
      admin && h('nav', { class: 'nav', 'aria-label': 'Main' }, nav.directory, nav.audit, nav.admin),
      actor && actorButton),
    lapsedSlot,
    view));
  renderLapsed();
  window.addEventListener('hashchange', onHashChange);
  route({ fresh: true });
}

// "The subscription lapsed on DATE: …" on every screen while it is lapsed.
function renderLapsed() {
  const sub = status.subscription;
  if (sub?.status !== 'lapsed') { lapsedSlot.replaceChildren(); return; }
  const date = formatDate(sub.lapsedSince || sub.activeUntil);
  fill(lapsedSlot, h('div', { class: 'lapsed-banner', role: 'alert', 'data-testid': 'lapsed-banner' },
    h('span', { class: 'lapsed-text' },
      `The subscription lapsed${date ? ` on ${date}` : ''}: employees cannot sign in and review cycles cannot start.`),
    isAdmin() && h('a', { class: 'button', href: '#/admin/subscription', 'data-testid': 'lapsed-restart' }, 'Restart subscription')));
}

// Fetch the status again (after a subscription restart, and on navigation, so
// a subscription that lapsed while the window was open shows its banner).
async function refreshStatus() {
  if (screen !== 'app') return;
  try {
    const next = await api.workspaceStatus();
    if (screen !== 'app') return;
    // A session that ended is noticed by the next command, with its message.
    if (next.state === 'ready' && !next.signedIn) return;
    if (next.state !== 'ready' || next.actor?.id !== status.actor?.id || next.actor?.role !== status.actor?.role) {
      show(next);
      return;
    }
    status = next;
    companyName.textContent = status.company?.name ?? '';
    renderLapsed();
  } catch (err) {
    showError(err.message);
  }
}
onStatusChange(refreshStatus);

function onHashChange() {
  route();
  refreshStatus();
}

let routed = 0; // routes asked for: a route whose screens arrive after a later one's is dropped

// fresh: the view was just made, so there is no scroll to reset (resetting it would lay out the
// new screen before its first data is asked for).
async function route({ fresh = false } = {}) {
  const mine = ++routed;
  let views;
  try {
    views = await loadAppViews();
  } catch (err) {
    showError(err.message);
    return;
  }
  if (mine !== routed || screen !== 'app') return; // routed again, or left the app, meanwhile
  const { mountDirectory, mountProfile, mountMerge, mountErase, mountAudit, mountAdmin, ADMIN_PAGES } = views;
  closeMenu();
  unmount?.();
  unmount = null;
  view.replaceChildren();
  if (!fresh) view.scrollTop = 0;

  // An employee has one page: their own profile.
  if (!isAdmin()) {
    const own = profileHref(status.actor.id);
    if (location.hash !== own) history.replaceState(null, '', own);
    view.classList.remove('fill');
    unmount = mountProfile(view, { id: status.actor.id, admin: false });
    return;
  }

  const hash = location.hash;
  const merge = hash.match(/^#\/people\/([^/]+)\/merge$/);
  const person = !merge && hash.match(/^#\/people\/(.+)$/);
  const eraseIds = idsFromEraseRoute(hash.match(/^#\/delete\/(.+)$/)?.[1] ?? '');
  const erase = eraseIds.length > 0;
  const adminPage = hash.match(adminRoute(ADMIN_PAGES));
  const section = person || merge || erase ? 'directory' : hash === '#/audit' ? 'audit' : adminPage ? 'admin' : 'directory';
  for (const [key, el] of Object.entries(nav)) {
    if (key === section) el.setAttribute('aria-current', 'page');
    else el.removeAttribute('aria-current');
  }
  view.classList.toggle('fill', !person && !merge && !erase && section === 'directory');

  if (merge) unmount = mountMerge(view, { id: decodeURIComponent(merge[1]) });
  else if (erase) unmount = mountErase(view, { ids: eraseIds });
  else if (person) unmount = mountProfile(view, { id: decodeURIComponent(person[1]), admin: true });
  else if (section === 'audit') unmount = mountAudit(view);
  else if (section === 'admin') {
    const page = adminPage[1] || ADMIN_PAGES[0];
    if (!adminPage[1]) history.replaceState(null, '', `#/admin/${page}`);
    let sub = null;
    try { sub = adminPage[2] ? decodeURIComponent(adminPage[2]) : null; } catch { sub = adminPage[2]; }
    unmount = mountAdmin(view, { page, sub, actor: status.actor });
  } else {
    if (hash !== '#/directory') history.replaceState(null, '', '#/directory');
    unmount = mountDirectory(view);
  }
}

async function boot() {
  try {
    let next = await api.workspaceStatus();
    // While a workspace upgrades, the backend answers every half second; the next answer after it is
    // done is the first screen.
    while (next.state === 'upgrading') {
      if (screen !== 'upgrading') {
        screen = 'upgrading';
        app.className = '';
        mountUpgrading(app, next);
      }
      next = await api.workspaceStatus();
    }
    show(next);
  } catch (err) {
    mountProblem(app, { problem: { title: 'Roster could not start', message: err.message }, path: null });
  }
}

boot();
