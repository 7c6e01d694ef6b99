// The audit log: who changed what, when and from where (app, CLI, import,
// system), filterable, pageable and exportable as CSV.
import * as api from '../api.js';
import { h, fill, profileHref } from '../components/dom.js';
import { showToast, showError } from '../components/toast.js';
import { onChange } from '../changes.js';
import { debounce } from '../debounce.js';
import { formatDateTime, humanise } from '../format.js';

const PAGE = 100;

export function mountAudit(container) {
  let entries = [];
  let total = 0;
  let seq = 0;

  const person = h('input', {
    type: 'search', class: 'input', 'data-testid': 'audit-person', placeholder: 'Person name or email',
    'aria-label': 'Person', autocomplete: 'off',
  });
  const action = h('select', { class: 'input', 'data-testid': 'audit-action', 'aria-label': 'Action' },
    h('option', { value: '' }, 'All actions'));
  const from = h('input', { type: 'date', class: 'input', 'data-testid': 'audit-from', 'aria-label': 'From' });
  const to = h('input', { type: 'date', class: 'input', 'data-testid': 'audit-to', 'aria-label': 'To' });
  const exportButton = h('button', { type: 'button', class: 'button', 'data-testid': 'audit-export' }, 'Export CSV');

  const tbody = h('tbody');
  const status = h('p', { class: 'muted small', 'data-testid': 'audit-count' });
  const empty = h('p', { class: 'empty-note', 'data-testid': 'audit-empty', hidden: true });
  const more = h('button', { type: 'button', class: 'button', 'data-testid': 'audit-load-more', hidden: true }, 'Load more');

  fill(container, h('section', { class: 'audit', 'data-testid': 'audit-log' },
    h('header', { class: 'page-header' },
      h('h1', { class: 'page-title' }, 'Audit log'),
      exportButton),
    h('div', { class: 'toolbar filters' },
      h('label', { class: 'filter' }, h('span', { class: 'field-label' }, 'Person'), person),
      h('label', { class: 'filter' }, h('span', { class: 'field-label' }, 'Action'), action),
      h('label', { class: 'filter' }, h('span', { class: 'field-label' }, 'From'), from),
      h('label', { class: 'filter' }, h('span', { class: 'field-label' }, 'To'), to)),
    h('div', { class: 'card table-card' },
      h('table', { class: 'audit-table' },
        h('thead', null, h('tr', null,
          h('th', { scope: 'col', class: 'col-when' }, 'When'),
          h('th', { scope: 'col', class: 'col-who' }, 'Who'),
          h('th', { scope: 'col', class: 'col-action' }, 'Action'),
          h('th', { scope: 'col', class: 'col-subject' }, 'Subject'),
          h('th', { scope: 'col' }, 'Summary'))),
        tbody),
      empty),
    h('div', { class: 'audit-footer' }, status, more)));

  const filter = () => ({
    person: person.value.trim() || null,
    action: action.value || null,
    from: from.value || null,
    to: to.value || null,
  });
  const filtered = () => Object.values(filter()).some((v) => v != null);

  function entryRow(e) {
    const changes = e.before != null || e.after != null;
    return h('tr', { 'data-testid': 'audit-row', 'data-id': e.id },
      h('td', { class: 'nowrap', title: e.at }, formatDateTime(e.at)),
      h('td', null, h('span', { class: 'audit-actor' }, e.actor),
        h('span', { class: `badge source-badge source-${e.source}`, 'data-testid': 'audit-source' }, e.source)),
      h('td', { class: 'nowrap' }, humanise(e.action)),
      h('td', null, e.subject
        ? (e.subject.id ? h('a', { href: profileHref(e.subject.id) }, e.subject.name) : e.subject.name)
        : h('span', { class: 'muted' }, '—')),
      h('td', null, e.summary,
        changes && h('details', { class: 'audit-details' },
          h('summary', null, 'Details'),
          h('pre', null, `before: ${JSON.stringify(e.before, null, 2)}\nafter: ${JSON.stringify(e.after, null, 2)}`))));
  }

  async function load(reset) {
    const mine = ++seq;
    more.disabled = true;
    try {
      const res = await api.auditList(filter(), reset ? 0 : entries.length, PAGE);
      if (mine !== seq) return;
      total = res.total;
      if (reset) {
        entries = res.entries;
        fill(tbody, entries.map(entryRow));
      } else {
        entries = entries.concat(res.entries);
        tbody.append(...res.entries.map(entryRow));
      }
      empty.hidden = entries.length > 0;
      empty.textContent = filtered() ? 'No entries match these filters' : 'Nothing has been recorded yet';
      status.textContent = total ? `Showing ${entries.length} of ${total}` : '';
      more.hidden = entries.length >= total || res.entries.length === 0;
    } catch (err) {
      if (mine === seq) showError(err.message);
    } finally {
      if (mine === seq) more.disabled = false;
    }
  }

  async function loadActions() {
    try {
      const actions = await api.auditActions();
      const current = action.value;
      fill(action, h('option', { value: '' }, 'All actions'),
        actions.map((a) => h('option', { value: a }, humanise(a))));
      action.value = actions.includes(current) ? current : '';
    } catch (err) {
      showError(err.message);
    }
  }

  async function exportCsv() {
    exportButton.disabled = true;
    try {
      const result = await api.auditExport(filter());
      if (result) showToast({ message: `Exported ${result.count} entries to ${result.path}` });
    } catch (err) {
      showError(err.message);
    } finally {
      exportButton.disabled = false;
    }
  }

  const reloadSoon = debounce(() => load(true), 250);
  person.addEventListener('input', reloadSoon);
  for (const input of [action, from, to]) input.addEventListener('change', () => load(true));
  more.addEventListener('click', () => load(false));
  exportButton.addEventListener('click', exportCsv);

  const stopListening = onChange(() => { load(true); loadActions(); });
  loadActions();
  load(true);

  return () => { stopListening(); reloadSoon.cancel(); seq++; };
}
