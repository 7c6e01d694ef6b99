// The company directory: view menu (Billable / Deactivated / All), search,
// sortable columns, a virtualised list fed page by page, selection with
// click / shift-click / ctrl-click, bulk actions and the ⋯ row menu. Deactivated
// people can be deleted from here too (one from the row menu, or the whole
// selection when everyone in it is deactivated): both open the delete screen.
import * as api from '../api.js';
import { h, fill, profileHref, eraseHref } from '../components/dom.js';
import { createVirtualList } from '../components/virtual-list.js';
import { toggleMenu } from '../components/menu.js';
import { createLicenseMeter } from '../components/license-meter.js';
import { showError } from '../components/toast.js';
import { onChange, reactivatePeople } from '../changes.js';
import { sendPasswordMail } from '../password-mail.js';
import { openDeactivateDialog } from './deactivate-dialog.js';
import { debounce } from '../debounce.js';
import { formatDate, formatDateTime, plural } from '../format.js';

const PAGE = 100;
const ROW_HEIGHT = 40;

const VIEWS = [
  { key: 'billable', label: 'Billable Accounts', empty: 'No billable accounts' },
  { key: 'deactivated', label: 'Deactivated Accounts', empty: 'No deactivated accounts' },
  { key: 'all', label: 'All', empty: 'Nobody in the directory yet' },
];

const COLUMNS = [
  { key: 'name', label: 'Name' },
  { key: 'email', label: 'Email' },
  { key: 'title', label: 'Title' },
  { key: 'department', label: 'Department' },
  { key: 'manager', label: 'Manager' },
  { key: 'location', label: 'Location' },
  { key: 'status', label: 'Status' },
];
const TEXT_CELLS = ['email', 'title', 'department', 'manager', 'location', 'status'];

// The query survives a visit to a profile and back.
const FRESH_QUERY = { view: 'billable', search: '', sort: 'name', desc: false };
let rememberedQuery = { ...FRESH_QUERY };
// Whoever signs in next starts on Billable Accounts, not on the last person's search.
window.addEventListener(api.SIGNED_OUT, (e) => { if (!e.detail?.message) rememberedQuery = { ...FRESH_QUERY }; });

function statusText(row) {
  if (row.mergedInto) return `Merged into ${row.mergedInto.name}`;
  if (row.status !== 'deactivated') return 'Active';
  const by = row.deactivatedBy ? ` by ${row.deactivatedBy}` : '';
  return `Deactivated ${formatDate(row.deactivatedAt)}${by}`;
}

function statusTitle(row) {
  if (row.status !== 'deactivated' && !row.mergedInto) return '';
  const when = formatDateTime(row.deactivatedAt);
  if (row.mergedInto) return when ? `Merged into ${row.mergedInto.name} on ${when}` : `Merged into ${row.mergedInto.name}`;
  return row.reason ? `Deactivated ${when}. Reason: ${row.reason}` : `Deactivated ${when}`;
}

export function mountDirectory(container) {
  const state = {
    query: { ...rememberedQuery },
    gen: 0, // bumped whenever results may differ; responses of older gens are dropped
    pages: new Map(), // page index → rows
    stale: new Map(), // pages from before a refresh, shown until fresh ones arrive
    loading: new Set(),
    failed: new Set(),
    total: null,
    counts: null,
    selection: new Set(),
    anchor: null, // index of the last plain or ctrl click, start of shift ranges
    inactive: new Map(), // id → deactivated (or merged away), for every row in the page cache
  };

  // ── Header: title and license meter ──────────────────────────────────────
  const meter = createLicenseMeter();
  const header = h('header', { class: 'page-header' },
    h('h1', { class: 'page-title' }, 'Directory'), meter.el);

  // ── Toolbar: view menu and search ────────────────────────────────────────
  const viewButton = h('button', {
    type: 'button', class: 'view-menu', 'data-testid': 'view-menu', 'aria-haspopup': 'menu', 'aria-expanded': 'false',
  });
  viewButton.addEventListener('click', () => toggleMenu(viewButton, VIEWS.map((v) => ({
    label: v.label,
    hint: state.counts ? String(state.counts[v.key]) : null,
    testid: `view-option-${v.key}`,
    checked: state.query.view === v.key,
    onSelect: () => setQuery({ view: v.key }),
  })), { label: 'Views', align: 'left' }));

  const search = h('input', {
    type: 'search', class: 'input search', 'data-testid': 'search', value: state.query.search,
    placeholder: 'Search name, email, title, department', 'aria-label': 'Search the directory', autocomplete: 'off',
  });
  // data-typing marks a search typed but not yet applied (what end-to-end tests wait out).
  const applySearch = (text) => { delete search.dataset.typing; setQuery({ search: text }); };
  const searchSoon = debounce(() => applySearch(search.value.trim()), 120);
  search.addEventListener('input', () => { search.dataset.typing = ''; searchSoon(); });
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && search.value) { e.preventDefault(); search.value = ''; searchSoon.cancel(); applySearch(''); }
  });
  const toolbar = h('div', { class: 'toolbar' }, viewButton, h('div', { class: 'search-wrap' }, search));

  // ── Selection bar ────────────────────────────────────────────────────────
  const selectionCount = h('span', { class: 'selection-count', 'data-testid': 'selection-count' });
  const bulkDelete = h('button', {
    type: 'button', class: 'button danger-outline', 'data-testid': 'bulk-delete', hidden: true,
    onclick: () => { location.hash = eraseHref([...state.selection]); },
  });
  const selectionBar = h('div', { class: 'selection-bar', 'data-testid': 'selection-bar', hidden: true },
    selectionCount,
    h('div', { class: 'selection-actions' },
      h('button', { type: 'button', class: 'button danger-outline', 'data-testid': 'bulk-deactivate', onclick: () => openDeactivateDialog([...state.selection]) }, 'Deactivate'),
      h('button', { type: 'button', class: 'button', 'data-testid': 'bulk-reactivate', onclick: () => reactivatePeople([...state.selection]) }, 'Reactivate'),
      bulkDelete,
      h('button', { type: 'button', class: 'button ghost', 'data-testid': 'bulk-clear', onclick: () => clearSelection() }, 'Clear')));

  // ── Column headers ───────────────────────────────────────────────────────
  const selectAll = h('input', { type: 'checkbox', 'data-testid': 'select-all', 'aria-label': 'Select all shown' });
  selectAll.addEventListener('click', () => toggleSelectAll());
  const sortButtons = new Map();
  const columnHeader = h('div', { class: 'list-header', role: 'row' },
    h('div', { class: 'cell cell-check', role: 'columnheader' }, selectAll),
    COLUMNS.map((c) => {
      const arrow = h('span', { class: 'sort-arrow', 'aria-hidden': 'true' });
      const button = h('button', { type: 'button', class: 'sort', 'data-testid': `sort-${c.key}` }, c.label, arrow);
      button.addEventListener('click', () => setQuery(
        state.query.sort === c.key ? { desc: !state.query.desc } : { sort: c.key, desc: false }));
      const cell = h('div', { class: `cell cell-${c.key}`, role: 'columnheader' }, button);
      sortButtons.set(c.key, { cell, arrow });
      return cell;
    }),
    h('div', { class: 'cell cell-menu', role: 'columnheader', 'aria-label': 'Actions' }));

  // ── The list ─────────────────────────────────────────────────────────────
  const list = createVirtualList({
    rowHeight: ROW_HEIGHT, overscan: 10, testid: 'directory-list', label: 'People',
    createRow, updateRow, onRange: ensurePages,
  });
  const empty = h('div', { class: 'list-empty', 'data-testid': 'directory-empty', hidden: true });
  const table = h('div', { class: 'table', role: 'table', 'aria-label': 'Directory' }, columnHeader, list.el, empty);

  const root = h('section', { class: 'directory', 'data-testid': 'directory' }, header, toolbar, selectionBar, table);
  fill(container, root);

  function createRow() {
    const select = h('input', { type: 'checkbox', 'data-testid': 'row-select', 'aria-label': 'Select' });
    const name = h('a', { class: 'row-name', 'data-testid': 'row-name' });
    const menu = h('button', {
      type: 'button', class: 'icon-button row-menu', 'data-testid': 'row-menu', 'aria-label': 'Actions', 'aria-haspopup': 'menu', 'aria-expanded': 'false',
    }, '⋯');
    const cells = Object.fromEntries(TEXT_CELLS.map((k) => [k, h('div', { class: `cell cell-${k} cell-text`, role: 'cell' })]));
    const row = h('div', { class: 'row', role: 'row' },
      h('div', { class: 'cell cell-check', role: 'cell' }, select),
      h('div', { class: 'cell cell-name cell-text', role: 'cell' }, name),
      TEXT_CELLS.map((k) => cells[k]),
      h('div', { class: 'cell cell-menu', role: 'cell' }, menu));
    row.parts = { select, name, menu, cells };
    return row;
  }

  function rowAt(index) {
    const page = Math.floor(index / PAGE);
    const rows = state.pages.get(page) ?? state.stale.get(page);
    return rows?.[index % PAGE] ?? null;
  }

  function updateRow(el, index) {
    const { select, name, menu, cells } = el.parts;
    const r = rowAt(index);
    el.dataset.index = String(index);
    if (!r) {
      el.setAttribute('data-testid', 'row-placeholder');
      el.removeAttribute('data-id');
      el.className = 'row placeholder';
      el.removeAttribute('aria-selected');
      select.checked = false;
      select.disabled = true;
      name.textContent = '';
      name.removeAttribute('href');
      menu.disabled = true;
      for (const k of TEXT_CELLS) { cells[k].textContent = ''; cells[k].removeAttribute('title'); }
      return;
    }
    const selected = state.selection.has(r.id);
    el.setAttribute('data-testid', 'row');
    el.dataset.id = r.id;
    el.className = `row${r.status === 'deactivated' || r.mergedInto ? ' deactivated' : ''}${r.mergedInto ? ' merged' : ''}${selected ? ' selected' : ''}`;
    el.setAttribute('aria-selected', String(selected));
    select.disabled = false;
    select.checked = selected;
    select.setAttribute('aria-label', `Select ${r.name}`);
    name.textContent = r.name;
    name.href = profileHref(r.id);
    menu.disabled = false;
    menu.setAttribute('aria-label', `Actions for ${r.name}`);
    const values = {
      email: r.email, title: r.title, department: r.department, manager: r.manager?.name,
      location: r.location, status: statusText(r),
    };
    for (const k of TEXT_CELLS) {
      cells[k].textContent = values[k] || '';
      // Full text on hover for anything the column may cut off.
      cells[k].title = k === 'status' ? statusTitle(r) : (values[k] || '');
    }
  }

  // ── Data ─────────────────────────────────────────────────────────────────
  function ensurePages(first, last) {
    for (let p = Math.floor(first / PAGE); p <= Math.floor(last / PAGE); p++) loadPage(p);
  }

  async function loadPage(p) {
    if (state.pages.has(p) || state.loading.has(p) || state.failed.has(p)) return;
    const gen = state.gen;
    state.loading.add(p);
    try {
      const res = await api.directoryPage({ ...state.query }, p * PAGE, PAGE);
      if (gen !== state.gen) return;
      state.pages.set(p, res.rows);
      state.stale.delete(p);
      remember(res.rows);
      applyTotals(res);
      list.refresh();
    } catch (err) {
      if (gen !== state.gen) return;
      state.failed.add(p);
      showError(err.message);
    } finally {
      if (gen === state.gen) state.loading.delete(p);
    }
  }

  function applyTotals(res) {
    state.counts = res.counts;
    if (res.total !== state.total) {
      state.total = res.total;
      list.setTotal(res.total);
      // Rows past the new end may linger in the stale cache; drop them.
      for (const p of state.stale.keys()) if (p * PAGE >= res.total) state.stale.delete(p);
    }
    renderChrome();
  }

  const pagesInView = () => {
    const [top, bottom] = list.visibleRange();
    return [Math.floor(Math.max(0, top - 10) / PAGE), Math.floor((bottom + 10) / PAGE)];
  };

  // keepScroll: after a change the same query is fetched again in place, and the
  // rows on screen stay until fresh ones arrive (no flash of placeholders).
  function reload({ keepScroll }) {
    state.gen++;
    // From the top, the first page is asked for before anything reads the layout: laying out a new
    // screen takes longer than the backend takes to answer.
    const [firstPage, lastPage] = keepScroll ? pagesInView() : [0, 0];
    const onScreen = [...state.stale, ...state.pages].filter(([p]) => p >= firstPage && p <= lastPage);
    state.stale = keepScroll ? new Map(onScreen) : new Map();
    state.pages = new Map();
    state.inactive = new Map();
    for (const [, rows] of state.stale) remember(rows);
    state.loading = new Set();
    state.failed = new Set();
    if (!keepScroll) {
      loadPage(0);
      state.total = null;
      list.setTotal(0);
      list.scrollToTop();
    }
    const [from, to] = pagesInView();
    for (let p = from; p <= to; p++) loadPage(p);
    list.refresh();
    renderChrome();
  }

  // The same query again (a search retyped as it was, the view already shown) keeps the list, its
  // scroll and the selection: reloading would blank the rows under the pointer for nothing.
  function setQuery(patch) {
    if (Object.entries(patch).every(([k, v]) => state.query[k] === v)) return;
    state.query = { ...state.query, ...patch };
    rememberedQuery = { ...state.query };
    state.selection = new Set();
    state.anchor = null;
    reload({ keepScroll: false });
  }

  // ── Chrome that follows the data: view label, arrows, empty state, selection ─
  function renderChrome() {
    const view = VIEWS.find((v) => v.key === state.query.view) ?? VIEWS[0];
    viewButton.textContent = state.counts ? `${view.label} · ${state.counts[view.key]}` : view.label;
    // The search the list shows (typing applies it after a pause): what end-to-end tests wait for.
    search.dataset.applied = state.query.search;

    for (const [key, { cell, arrow }] of sortButtons) {
      const active = state.query.sort === key;
      arrow.textContent = active ? (state.query.desc ? '↓' : '↑') : '';
      cell.classList.toggle('sorted', active);
      cell.setAttribute('aria-sort', active ? (state.query.desc ? 'descending' : 'ascending') : 'none');
    }

    const isEmpty = state.total === 0;
    empty.hidden = !isEmpty;
    if (isEmpty) empty.textContent = state.query.search ? `Nobody matches “${state.query.search}”` : view.empty;

    const n = state.selection.size;
    selectionBar.hidden = n === 0;
    selectionCount.textContent = `${n} selected`;
    bulkDelete.hidden = n === 0 || !maybeAllInactive();
    bulkDelete.textContent = `Delete ${plural(n, 'person', 'people')} and all data`;
    selectAll.checked = n > 0 && state.total != null && n >= state.total;
    selectAll.indeterminate = n > 0 && !selectAll.checked;
    selectAll.disabled = !state.total;
  }

  // ── Selection ────────────────────────────────────────────────────────────
  function remember(rows) {
    for (const r of rows) state.inactive.set(r.id, r.status === 'deactivated' || !!r.mergedInto);
  }

  // Deleting is for deactivated people only. A selected row that is not in
  // the page cache (a shift range or "select all" over rows never scrolled to)
  // may be either: the button shows, and the delete screen says who is active.
  function maybeAllInactive() {
    for (const id of state.selection) if (state.inactive.get(id) === false) return false;
    return true;
  }

  function selectionChanged() {
    list.refresh();
    renderChrome();
  }

  function clearSelection() {
    state.selection = new Set();
    state.anchor = null;
    selectionChanged();
  }

  function toggle(id) {
    if (state.selection.has(id)) state.selection.delete(id);
    else state.selection.add(id);
  }

  // Rows between the anchor and here may not be loaded, so the backend names them.
  async function selectRange(index, add) {
    const gen = state.gen;
    const from = Math.min(state.anchor, index);
    const to = Math.max(state.anchor, index);
    try {
      const ids = await api.directoryIds({ ...state.query }, from, to);
      if (gen !== state.gen) return;
      state.selection = add ? new Set([...state.selection, ...ids]) : new Set(ids);
      selectionChanged();
    } catch (err) {
      showError(err.message);
    }
  }

  async function toggleSelectAll() {
    if (state.selection.size > 0 && state.selection.size >= (state.total ?? 0)) { clearSelection(); return; }
    const gen = state.gen;
    try {
      const ids = await api.directoryIds({ ...state.query }, null, null);
      if (gen !== state.gen) return;
      state.selection = new Set(ids);
      selectionChanged();
    } catch (err) {
      showError(err.message);
      renderChrome();
    }
  }

  function onRowClick(e, index, row) {
    const additive = e.ctrlKey || e.metaKey;
    if (e.shiftKey && state.anchor != null) { selectRange(index, additive); return; }
    if (additive) toggle(row.id);
    else state.selection = new Set([row.id]);
    state.anchor = index;
    selectionChanged();
  }

  function onCheckbox(e, index, row) {
    if (e.shiftKey && state.anchor != null) { selectRange(index, true); return; }
    toggle(row.id);
    state.anchor = index;
    selectionChanged();
  }

  function openRowMenu(button, row) {
    const items = [{ label: 'Open profile', testid: 'menu-open-profile', onSelect: () => { location.hash = profileHref(row.id); } }];
    // A merged-away account cannot be reactivated: its records are on the account it was merged into.
    const erase = { label: 'Delete user and all data', testid: 'menu-delete', danger: true, onSelect: () => { location.hash = eraseHref([row.id]); } };
    if (row.mergedInto) {
      items.push({ label: `Open ${row.mergedInto.name}’s profile`, testid: 'menu-open-merged-into', onSelect: () => { location.hash = profileHref(row.mergedInto.id); } });
      items.push(erase);
    } else if (row.status === 'deactivated') {
      items.push({ label: 'Reactivate', testid: 'menu-reactivate', onSelect: () => reactivatePeople([row.id]) });
      items.push(erase);
    } else {
      items.push({ label: 'Send Password Mail', testid: 'menu-send-password-mail', onSelect: () => sendPasswordMail(row.id) });
      items.push({ label: 'Deactivate…', testid: 'menu-deactivate', danger: true, onSelect: () => openDeactivateDialog([row.id]) });
    }
    toggleMenu(button, items, { label: `Actions for ${row.name}` });
  }

  // One listener for all rows: rows are recycled as the list scrolls.
  list.el.addEventListener('click', (e) => {
    const el = e.target.closest('.row');
    if (!el || !list.el.contains(el)) return;
    const index = Number(el.dataset.index);
    const row = rowAt(index);
    if (!row) return;
    const menuButton = e.target.closest('.row-menu');
    if (menuButton) { openRowMenu(menuButton, row); return; }
    if (e.target.closest('[data-testid="row-select"]')) { onCheckbox(e, index, row); return; }
    if (e.target.closest('.row-name')) {
      if (!(e.shiftKey || e.ctrlKey || e.metaKey)) return; // the link opens the profile
      e.preventDefault(); // with a modifier the name is part of the row, for selecting
    }
    onRowClick(e, index, row);
  });
  // Shift-click would otherwise select the text of every row in between.
  list.el.addEventListener('mousedown', (e) => {
    if (e.shiftKey && !e.target.closest('input')) e.preventDefault();
  });

  // Keep the header columns over the row columns when the list shows a scrollbar.
  const alignHeader = () => {
    columnHeader.style.paddingRight = `${list.el.offsetWidth - list.el.clientWidth}px`;
  };
  const headerObserver = new ResizeObserver(alignHeader);
  headerObserver.observe(list.el);

  // "/" jumps to the search box, as in most admin tools.
  const onKey = (e) => {
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (document.querySelector('.dialog-backdrop')) return;
    e.preventDefault();
    search.focus();
  };
  document.addEventListener('keydown', onKey);

  const stopListening = onChange(() => {
    state.selection = new Set();
    state.anchor = null;
    reload({ keepScroll: true });
    meter.refresh();
  });

  reload({ keepScroll: false });
  meter.refresh();

  return () => {
    stopListening();
    searchSoon.cancel();
    document.removeEventListener('keydown', onKey);
    headerObserver.disconnect();
    list.destroy();
    state.gen++; // drop responses still in flight
  };
}
