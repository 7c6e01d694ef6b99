// The plan of an HRIS import: what the file would change, before anything
// changes. Counts as chips, a tab per kind that has rows, and a table of the
// rows of the chosen kind. Used before a manual import (with Import / Cancel
// around it) and, read-only, on a run's page.
//
// Everything in a plan comes from the HRIS file, which is untrusted: it goes
// into the page as text only (h() makes text nodes).
import { h, fill, profileHref } from '../components/dom.js';
import { formatDate, humanise, plural } from '../format.js';

const PAGE = 500; // rows rendered at a time; a 100,000-row file must not become 100,000 <tr>s at once

const KINDS = [
  { key: 'created', chip: 'created', tab: 'Created' },
  { key: 'updated', chip: 'updated', tab: 'Updated' },
  { key: 'deactivated', chip: 'deactivated', tab: 'Deactivated' },
  { key: 'reactivated', chip: 'reactivated', tab: 'Reactivated' },
  { key: 'held', chip: 'held', tab: 'Held' },
  { key: 'skipped', chip: 'skipped', tab: 'Skipped' },
  { key: 'errors', chip: ['error', 'errors'], tab: 'Errors' },
  { key: 'warnings', chip: ['warning', 'warnings'], tab: 'Warnings' },
  { key: 'unchanged', chip: 'unchanged', tab: null }, // a count only
];

// What each tab says above its table.
const NOTES = {
  created: 'New people the file lists. They are added as active.',
  updated: 'People whose details in the file differ from Roster’s.',
  deactivated: 'People the file lists as inactive (or, for a full import, does not list).',
  reactivated: 'Deactivated people the file lists as active again.',
  held: 'People the file would deactivate, kept active by a sync hold.',
  skipped: 'Inactive rows for people Roster has never had: nothing to do.',
  errors: 'Rows Roster cannot import, and what to fix in the HRIS.',
  warnings: 'These rows are imported, with what the warning says.',
  missing: 'People in Roster whom the file does not list.',
};

// Open order: what an admin most needs to see before importing.
const FIRST = ['errors', 'deactivated', 'held', 'created', 'updated', 'reactivated', 'warnings', 'skipped', 'missing'];

const FIELDS = {
  firstName: 'First name', lastName: 'Last name', email: 'Email', title: 'Title', department: 'Department',
  team: 'Team', location: 'Location', manager: 'Manager', employeeId: 'Employee ID', hireDate: 'Hire date',
  gender: 'Gender', status: 'Status',
};
const fieldLabel = (field) => FIELDS[field] ?? humanise(String(field ?? '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase());

const list = (plan, key) => (Array.isArray(plan?.[key]) ? plan[key] : []);
const count = (plan, key) => {
  if (key === 'unchanged') return Number(plan?.counts?.unchanged ?? plan?.unchanged ?? 0);
  const n = Number(plan?.counts?.[key]);
  return Number.isFinite(n) ? n : list(plan, key).length;
};

const empty = (text) => (text == null || text === '' ? h('span', { class: 'muted' }, '—') : text);
const nameCell = (item) => (item.id
  ? h('a', { href: profileHref(item.id), class: 'plan-name' }, item.name || item.id)
  : h('span', { class: 'plan-name' }, empty(item.name)));

// The table of each kind: its columns and one row.
const TABLES = {
  created: {
    head: ['Line', 'Name', 'Email', 'Title', 'Department', 'Manager'],
    row: (r) => [num(r.line), h('span', { class: 'plan-name' }, empty(r.name)), empty(r.email), empty(r.title), empty(r.department), empty(r.manager)],
  },
  updated: {
    head: ['Name', 'Changes'],
    row: (r) => [nameCell(r), h('ul', { class: 'plan-changes' }, (Array.isArray(r.changes) ? r.changes : []).map((c) => h('li', { 'data-testid': 'plan-change', 'data-field': c.field },
      h('span', { class: 'plan-field' }, `${fieldLabel(c.field)}: `),
      c.old == null || c.old === '' ? h('span', { class: 'plan-empty' }, '(empty)') : h('span', { class: 'plan-old' }, String(c.old)),
      h('span', { class: 'plan-arrow', 'aria-label': 'becomes' }, ' → '),
      c.new == null || c.new === '' ? h('span', { class: 'plan-empty' }, '(empty)') : h('span', { class: 'plan-new' }, String(c.new)))))],
  },
  deactivated: { head: ['Name', 'Reason'], row: (r) => [nameCell(r), empty(r.reason)] },
  reactivated: { head: ['Name', 'Reason'], row: (r) => [nameCell(r), empty(r.reason)] },
  held: { head: ['Name', 'Kept active until', 'Reason'], row: (r) => [nameCell(r), h('span', { class: 'nowrap' }, formatDate(r.until) || '—'), empty(r.reason)] },
  skipped: {
    head: ['Line', 'Name', 'Why'],
    row: (r) => [num(r.line), [h('span', { class: 'plan-name' }, empty(r.name)), r.email && h('span', { class: 'plan-sub' }, r.email)], empty(r.why)],
  },
  errors: { head: ['Line', 'Column', 'What is wrong'], row: (r) => [num(r.line), empty(r.column), empty(r.message)] },
  warnings: { head: ['Line', 'Column', 'Warning'], row: (r) => [num(r.line), empty(r.column), empty(r.message)] },
  missing: { head: ['Name'], row: (r) => [nameCell(r)] },
};

function num(n) {
  return n == null ? h('span', { class: 'muted' }, '—') : h('span', { class: 'num' }, String(n));
}

// plan: the Plan of docs/ipc-contract.md. Options:
//   fileName — shown in the heading
//   actions  — nodes (buttons) at the foot of the plan, or null when read-only
export function planView(plan, { fileName = null, actions = null, title = null } = {}) {
  const tabs = [...KINDS.filter((k) => k.tab && list(plan, k.key).length > 0).map((k) => ({ key: k.key, label: k.tab })),
    ...(list(plan, 'missing').length ? [{ key: 'missing', label: 'Not in the file' }] : [])];
  let current = FIRST.find((key) => tabs.some((t) => t.key === key)) ?? null;

  const chips = h('ul', { class: 'plan-counts', 'aria-label': 'What the import does' }, KINDS.map((k) => {
    const n = count(plan, k.key);
    const label = Array.isArray(k.chip) ? plural(n, k.chip[0], k.chip[1]) : `${n} ${k.chip}`;
    return h('li', {
      class: `plan-chip kind-${k.key}${n ? '' : ' zero'}`, 'data-testid': 'plan-count', 'data-kind': k.key, 'data-count': String(n),
    }, label);
  }));

  const tabButtons = tabs.map((t) => h('button', {
    type: 'button', role: 'tab', class: 'tab', 'data-testid': 'plan-tab', 'data-kind': t.key, onclick: () => select(t.key),
  }, t.label, h('span', { class: 'tab-count' }, String(t.key === 'missing' ? list(plan, 'missing').length : count(plan, t.key)))));
  const tablist = tabs.length ? h('div', { class: 'tabs plan-tabs', role: 'tablist', 'aria-label': 'Rows by kind' }, tabButtons) : null;
  tablist?.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = tabs.findIndex((t) => t.key === current);
    const next = tabs[(i + (e.key === 'ArrowRight' ? 1 : -1) + tabs.length) % tabs.length];
    select(next.key);
    tabButtons.find((b) => b.dataset.kind === next.key)?.focus();
  });
  const panel = h('div', { class: 'plan-panel', role: 'tabpanel', 'data-testid': 'plan-panel' });

  function select(key) {
    current = key;
    for (const b of tabButtons) {
      const on = b.dataset.kind === key;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      b.classList.toggle('active', on);
    }
    renderTable(key);
  }

  function renderTable(key) {
    const rows = list(plan, key);
    const table = TABLES[key];
    const tbody = h('tbody');
    const more = h('button', { type: 'button', class: 'button', 'data-testid': 'plan-more' });
    const shownLine = h('p', { class: 'muted small', 'data-testid': 'plan-shown' });
    const footer = h('div', { class: 'audit-footer plan-footer' }, shownLine, more);
    let shown = 0;
    const showMore = () => {
      const next = rows.slice(shown, shown + PAGE);
      tbody.append(...next.map((r) => h('tr', { 'data-testid': 'plan-row', 'data-kind': key },
        table.row(r).map((cell) => h('td', null, cell)))));
      shown += next.length;
      const total = key === 'missing' ? rows.length : Math.max(count(plan, key), rows.length);
      shownLine.textContent = total > shown ? `Showing ${shown} of ${total}` : '';
      shownLine.hidden = total <= shown;
      more.textContent = `Show ${Math.min(PAGE, rows.length - shown)} more`;
      more.hidden = shown >= rows.length;
      footer.hidden = shownLine.hidden && more.hidden;
    };
    more.addEventListener('click', showMore);
    fill(panel,
      NOTES[key] && h('p', { class: 'plan-note muted small' }, NOTES[key]),
      h('div', { class: 'plan-table-wrap' },
        h('table', { class: `audit-table plan-table plan-${key}` },
          h('thead', null, h('tr', null, table.head.map((label) => h('th', { scope: 'col' }, label)))),
          tbody)),
      footer);
    showMore();
  }

  const rowsRead = Number(plan?.rows);
  const heading = title ?? (fileName ? `What importing ${fileName} does` : 'What the import does');
  const el = h('div', { class: 'import-plan', 'data-testid': 'import-plan' },
    h('div', { class: 'plan-head' },
      h('h2', { class: 'card-title', 'data-testid': 'plan-title' }, heading),
      Number.isFinite(rowsRead) && h('span', { class: 'muted small', 'data-testid': 'plan-rows' }, `${plural(rowsRead, 'row', 'rows')} in the file`)),
    chips,
    tablist,
    tabs.length ? panel : h('p', { class: 'empty-note', 'data-testid': 'plan-nothing' },
      count(plan, 'unchanged') > 0 ? 'Everyone in the file is already up to date: importing it changes nothing.' : 'The file lists nobody to import.'),
    actions && h('div', { class: 'plan-actions' }, actions));
  if (current) select(current);
  return el;
}
