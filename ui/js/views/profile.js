// A person's profile: who they are, the Manage menu, and their whole history in
// tabs — which stays readable after deactivation, which is the point. An
// employee sees only their own profile: no Manage menu, and names are plain
// text rather than links to profiles they may not open. A merged-away account
// says where its records went; the only thing left to do with it is delete it.
import * as api from '../api.js';
import { h, fill, profileHref, mergeHref, eraseHref } from '../components/dom.js';
import { toggleMenu } from '../components/menu.js';
import { showError } from '../components/toast.js';
import { onChange, reactivatePeople } from '../changes.js';
import { sendPasswordMail } from '../password-mail.js';
import { openDeactivateDialog } from './deactivate-dialog.js';
import { openSyncHoldDialog, syncHoldBanner } from './sync-hold.js';
import { formatDate, formatDateTime, humanise, initials, plural } from '../format.js';

const TABS = [
  { key: 'reviews', label: 'Reviews', render: reviewsTab },
  { key: 'objectives', label: 'Objectives', render: objectivesTab },
  { key: 'feedback', label: 'Feedback', render: feedbackTab },
  { key: 'one-on-ones', label: '1:1 meetings', render: oneOnOnesTab },
  { key: 'activity', label: 'Activity', render: activityTab },
];

const DELETED = 'Deleted user';
// ctx.browse: the viewer may open other people's profiles (admins).
const personLink = (p, ctx) => {
  if (!p) return h('span', { class: 'muted' }, DELETED);
  return ctx.browse ? h('a', { href: profileHref(p.id) }, p.name) : h('span', null, p.name);
};
const emptyNote = (text) => h('p', { class: 'empty-note' }, text);

export function mountProfile(container, { id, admin = true }) {
  const ctx = { browse: admin };
  let tab = 'reviews';
  let seq = 0;
  let data = null;

  const back = () => admin && backLink();
  fill(container, h('section', { class: 'profile loading', 'data-testid': 'profile-loading' },
    back(), h('p', { class: 'muted' }, 'Loading…')));

  async function load() {
    const mine = ++seq;
    try {
      const result = await api.personProfile(id);
      if (mine !== seq) return;
      data = result;
      render();
    } catch (err) {
      if (mine !== seq) return;
      if (err.code === 'not_found') {
        fill(container, h('section', { class: 'profile', 'data-testid': 'profile-missing' },
          back(), h('h1', { class: 'page-title' }, 'This person is not in the directory'),
          h('p', { class: 'muted' }, err.message)));
      } else {
        showError(err.message);
      }
    }
  }

  function render() {
    const { person } = data;
    const tabButtons = [];
    const panel = h('div', { class: 'tab-panel', role: 'tabpanel', 'data-testid': 'tab-panel' });

    const selectTab = (key) => {
      tab = key;
      for (const b of tabButtons) {
        const on = b.dataset.key === key;
        b.setAttribute('aria-selected', String(on));
        b.tabIndex = on ? 0 : -1;
        b.classList.toggle('active', on);
      }
      fill(panel, TABS.find((t) => t.key === key).render(data, ctx));
    };

    const tablist = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'History' },
      TABS.map((t) => {
        const b = h('button', { type: 'button', role: 'tab', class: 'tab', 'data-key': t.key, 'data-testid': `tab-${t.key}`, onclick: () => selectTab(t.key) }, t.label);
        tabButtons.push(b);
        return b;
      }));
    // Arrow keys move between tabs, as in any tab strip.
    tablist.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
      const i = TABS.findIndex((t) => t.key === tab);
      const next = TABS[(i + (e.key === 'ArrowRight' ? 1 : -1) + TABS.length) % TABS.length];
      selectTab(next.key);
      tabButtons.find((b) => b.dataset.key === next.key).focus();
    });

    const items = admin ? manageItems(person) : [];
    const manage = items.length ? h('button', { type: 'button', class: 'button', 'data-testid': 'manage-menu', 'aria-haspopup': 'menu', 'aria-expanded': 'false' }, 'Manage') : null;
    manage?.addEventListener('click', () => toggleMenu(manage, items, { label: 'Manage' }));

    const subtitle = [person.title, person.department, person.location].filter(Boolean).join(' · ');

    fill(container, h('section', { class: 'profile', 'data-testid': 'profile', 'data-id': person.id },
      back(),
      person.merged ? mergedBanner(person, ctx) : person.deactivation && banner(person, admin),
      admin && person.syncHold && !person.merged && syncHoldBanner(person),
      h('header', { class: `profile-header${person.status === 'deactivated' ? ' deactivated' : ''}` },
        h('div', { class: 'avatar', 'aria-hidden': 'true' }, initials(person.name)),
        h('div', { class: 'profile-heading' },
          h('h1', { class: 'page-title', 'data-testid': 'profile-name' }, person.name),
          subtitle && h('p', { class: 'profile-subtitle', 'data-testid': 'profile-subtitle' }, subtitle)),
        manage && h('div', { class: 'profile-actions' }, manage)),
      details(person, ctx),
      h('div', { class: 'card' }, tablist, panel)));

    selectTab(tab);
  }

  const stopListening = onChange(load);
  load();
  return () => { stopListening(); seq++; };
}

// Only deactivated people can be deleted, as the help article says: for an
// active person the item stays in the menu, disabled, with the reason. A
// merged-away account cannot come back (its records are elsewhere), so
// deleting it is all its Manage menu offers. An active person can be kept
// active against the HRIS import (a sync hold).
function manageItems(person) {
  const inactive = person.status === 'deactivated' || !!person.merged;
  const erase = inactive
    ? { label: 'Delete user and all data', testid: 'manage-delete', danger: true, onSelect: () => { location.hash = eraseHref([person.id]); } }
    : {
      label: 'Delete user and all data', testid: 'manage-delete', disabled: true, detail: 'Deactivate first',
      title: 'Deactivate first: only deactivated people can be deleted', onSelect: () => {},
    };
  if (person.merged) return [erase];
  const merge = { label: 'Merge into other users', testid: 'manage-merge', onSelect: () => { location.hash = mergeHref(person.id); } };
  if (inactive) {
    return [
      { label: 'Reactivate', testid: 'manage-reactivate', onSelect: () => reactivatePeople([person.id]) },
      merge,
      erase,
    ];
  }
  return [
    { label: 'Send Password Mail', testid: 'manage-send-password-mail', onSelect: () => sendPasswordMail(person.id) },
    {
      label: 'Keep active (sync hold)…', testid: 'manage-sync-hold',
      detail: person.syncHold ? `Until ${formatDate(person.syncHold.until)}` : null,
      onSelect: () => openSyncHoldDialog(person),
    },
    merge,
    { label: 'Deactivate…', testid: 'manage-deactivate', danger: true, onSelect: () => openDeactivateDialog([person.id]) },
    erase,
  ];
}

function backLink() {
  return h('a', { class: 'back-link', href: '#/directory', 'data-testid': 'back-to-directory' }, '← Directory');
}

function banner(person, admin) {
  const d = person.deactivation;
  return h('div', { class: 'banner', role: 'status', 'data-testid': 'deactivated-banner' },
    h('div', { class: 'banner-text' },
      h('p', { class: 'banner-title', title: formatDateTime(d.at) }, `Deactivated on ${formatDate(d.at)} by ${d.byName || 'someone'}`),
      d.reason && h('p', { class: 'banner-reason', 'data-testid': 'deactivated-reason' }, `Reason: ${d.reason}`),
      h('p', { class: 'banner-hint' }, 'Their records are kept and they do not count toward your seats.')),
    admin && h('button', { type: 'button', class: 'button', 'data-testid': 'banner-reactivate', onclick: () => reactivatePeople([person.id]) }, 'Reactivate'));
}

// "Merged into NAME on DATE by WHO", instead of the deactivated banner.
function mergedBanner(person, ctx) {
  const m = person.merged;
  const into = m.into;
  const intoName = into
    ? (ctx.browse ? h('a', { href: profileHref(into.id), 'data-testid': 'merged-into' }, into.name) : h('span', { 'data-testid': 'merged-into' }, into.name))
    : h('span', { class: 'muted' }, DELETED);
  return h('div', { class: 'banner merged', role: 'status', 'data-testid': 'merged-banner' },
    h('div', { class: 'banner-text' },
      h('p', { class: 'banner-title', title: formatDateTime(m.at) },
        'Merged into ', intoName, ` on ${formatDate(m.at)} by ${m.byName || 'someone'}`),
      h('p', { class: 'banner-hint' }, into
        ? `Their records are now on ${into.name}’s profile. This account stays deactivated and does not count toward your seats.`
        : 'This account stays deactivated and does not count toward your seats.')));
}

function details(person, ctx) {
  const status = person.merged ? 'Merged' : person.status === 'deactivated' ? 'Deactivated' : 'Active';
  const manager = person.manager
    ? [ctx.browse
      ? h('a', { href: profileHref(person.manager.id), 'data-testid': 'profile-manager' }, person.manager.name)
      : h('span', { 'data-testid': 'profile-manager' }, person.manager.name),
      person.manager.status === 'deactivated' && h('span', { class: 'badge muted-badge' }, 'Deactivated')]
    : h('span', { class: 'muted' }, 'No manager');
  const reports = person.reports.length
    ? h('ul', { class: 'report-list', 'data-testid': 'profile-reports' }, person.reports.map((r) => h('li', { class: r.status === 'deactivated' ? 'deactivated' : '' },
      personLink(r, ctx),
      r.title && h('span', { class: 'muted' }, ` · ${r.title}`),
      r.status === 'deactivated' && h('span', { class: 'badge muted-badge' }, 'Deactivated'))))
    : h('span', { class: 'muted' }, 'None');

  const row = (label, value, testid) => [h('dt', null, label), h('dd', { 'data-testid': testid }, value)];
  return h('dl', { class: 'details card' },
    row('Email', person.email, 'profile-email'),
    person.employeeId ? row('Employee ID', person.employeeId, 'profile-employee-id') : null,
    row('Hire date', formatDate(person.hireDate) || '—', 'profile-hire-date'),
    row('Role', humanise(person.role) || '—', 'profile-role'),
    row('Status', h('span', { class: `badge ${person.status === 'deactivated' ? 'muted-badge' : 'ok-badge'}` }, status), 'profile-status'),
    row('Manager', manager, null),
    row('Direct reports', reports, null));
}

const rating = (r) => (r == null ? '—' : `${r}/5`);

// A review of a started cycle that nobody has written yet: `text` and
// `submittedAt` are null.
const isPending = (r) => r.text == null && r.submittedAt == null;

function pendingReview(r) {
  return h('li', { class: 'item pending', 'data-testid': 'review', 'data-pending': 'true' },
    h('div', { class: 'item-head' },
      h('strong', null, r.cycle),
      h('span', { class: 'badge pending-badge' }, 'Pending')),
    h('p', { class: 'item-text muted', 'data-testid': 'review-pending' },
      r.reviewer ? `Awaiting review by ${r.reviewer.name}` : 'Awaiting review'));
}

function reviewsTab(data, ctx) {
  const name = data.person.name;
  return [
    data.reviews.length
      ? h('ul', { class: 'items' }, data.reviews.map((r) => (isPending(r) ? pendingReview(r) : h('li', { class: 'item', 'data-testid': 'review' },
        h('div', { class: 'item-head' },
          h('strong', null, r.cycle),
          h('span', { class: 'muted' }, ' · by '), personLink(r.reviewer, ctx),
          h('span', { class: 'rating', 'data-testid': 'review-rating' }, rating(r.rating)),
          h('span', { class: 'item-date' }, formatDate(r.submittedAt))),
        r.text && h('p', { class: 'item-text' }, r.text)))))
      : emptyNote('No reviews yet'),
    h('h3', { class: 'section-title' }, `Reviews written by ${name}`),
    data.reviewsWritten.length
      ? h('ul', { class: 'items compact' }, data.reviewsWritten.map((r) => h('li', { class: 'item', 'data-testid': 'review-written' },
        h('div', { class: 'item-head' },
          h('strong', null, r.cycle),
          h('span', { class: 'muted' }, ' · for '), personLink(r.subject, ctx),
          r.submittedAt == null
            ? h('span', { class: 'badge pending-badge' }, 'Pending')
            : h('span', { class: 'rating' }, rating(r.rating)),
          h('span', { class: 'item-date' }, formatDate(r.submittedAt))))))
      : emptyNote(`${name} has not written any reviews`),
  ];
}

function objectivesTab(data) {
  if (!data.objectives.length) return emptyNote('No objectives yet');
  return h('ul', { class: 'items' }, data.objectives.map((o) => {
    const progress = Math.max(0, Math.min(100, Number(o.progress) || 0));
    return h('li', { class: 'item objective', 'data-testid': 'objective' },
      h('div', { class: 'item-head' },
        h('strong', null, o.title),
        h('span', { class: `badge status-${String(o.status).replace(/[^a-z0-9_-]/gi, '')}` }, humanise(o.status)),
        o.dueOn && h('span', { class: 'item-date' }, `Due ${formatDate(o.dueOn)}`)),
      h('div', { class: 'progress-row' },
        h('progress', { max: 100, value: progress, 'aria-label': `${o.title} progress` }),
        h('span', { class: 'muted small' }, `${progress}%`)));
  }));
}

function feedbackTab(data, ctx) {
  if (!data.feedbackReceived.length && !data.feedbackGiven.length) return emptyNote('No feedback yet');
  return [
    h('h3', { class: 'section-title' }, 'Received'),
    data.feedbackReceived.length
      ? h('ul', { class: 'items' }, data.feedbackReceived.map((f) => h('li', { class: 'item', 'data-testid': 'feedback-received' },
        h('div', { class: 'item-head' }, h('span', { class: 'muted' }, 'From '), personLink(f.from, ctx),
          h('span', { class: 'item-date' }, formatDate(f.givenAt))),
        h('p', { class: 'item-text' }, f.text))))
      : emptyNote('No feedback received'),
    h('h3', { class: 'section-title' }, 'Given'),
    data.feedbackGiven.length
      ? h('ul', { class: 'items' }, data.feedbackGiven.map((f) => h('li', { class: 'item', 'data-testid': 'feedback-given' },
        h('div', { class: 'item-head' }, h('span', { class: 'muted' }, 'To '), personLink(f.to, ctx),
          h('span', { class: 'item-date' }, formatDate(f.givenAt))),
        h('p', { class: 'item-text' }, f.text))))
      : emptyNote('No feedback given'),
  ];
}

function oneOnOnesTab(data, ctx) {
  if (!data.oneOnOnes.length) return emptyNote('No 1:1 meetings yet');
  return h('ul', { class: 'items' }, data.oneOnOnes.map((m) => h('li', { class: 'item', 'data-testid': 'one-on-one' },
    h('div', { class: 'item-head' },
      h('strong', null, formatDate(m.heldOn)), h('span', { class: 'muted' }, ' · with '), personLink(m.with, ctx)),
    h('p', { class: 'item-label' }, 'Shared notes'),
    m.sharedNotes ? h('p', { class: 'item-text' }, m.sharedNotes) : h('p', { class: 'muted small' }, 'No shared notes'),
    m.privateNotes.length > 0 && [
      h('p', { class: 'item-label' }, 'Your private notes'),
      m.privateNotes.map((n) => h('p', { class: 'item-text private', 'data-testid': 'private-note' }, n.text)),
    ],
    m.hiddenPrivateNotes > 0 && h('p', { class: 'muted small', 'data-testid': 'hidden-private-notes' },
      `${plural(m.hiddenPrivateNotes, 'private note', 'private notes')}, visible to their author`))));
}

function activityTab(data) {
  if (!data.activity.length) return emptyNote('No activity yet');
  return h('ul', { class: 'items compact' }, data.activity.map((a) => h('li', { class: 'item activity', 'data-testid': 'activity-entry' },
    h('div', { class: 'item-head' },
      h('span', { class: 'item-date' }, formatDateTime(a.at)),
      h('span', null, a.actor),
      h('span', { class: `badge source-badge source-${a.source}` }, a.source)),
    h('p', { class: 'item-text' }, a.summary))));
}
