// Admin > Review cycles: the cycles, newest first, a way to start a draft (it
// gives every active participant a pending review written by their manager;
// refused while the subscription is lapsed), and a form for a new cycle.
import * as api from '../api.js';
import { h, fill } from '../components/dom.js';
import { field, input, formError } from '../components/form.js';
import { showToast, showError } from '../components/toast.js';
import { dateFromToday, formatDate, humanise, plural } from '../format.js';

const STATUS_BADGE = { draft: 'muted-badge', active: 'ok-badge', closed: 'muted-badge' };

export function mountCycles(container) {
  let gone = false;
  let seq = 0;

  const error = formError('cycle-error');
  const tbody = h('tbody');
  const empty = h('p', { class: 'empty-note', 'data-testid': 'cycles-empty', hidden: true }, 'No review cycles yet. Create one below.');
  const table = h('table', { class: 'audit-table cycles-table' },
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Name'),
      h('th', { scope: 'col', class: 'col-dates' }, 'Dates'),
      h('th', { scope: 'col', class: 'col-status' }, 'Status'),
      h('th', { scope: 'col', class: 'col-num' }, 'Participants'),
      h('th', { scope: 'col', class: 'col-num' }, 'Reviews'),
      h('th', { scope: 'col', class: 'col-actions' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
    tbody);

  fill(container, h('section', { class: 'admin-page', 'data-testid': 'admin-cycles' },
    h('header', { class: 'page-header' }, h('h1', { class: 'page-title' }, 'Review cycles')),
    error.el,
    h('div', { class: 'card table-card' }, table, empty),
    newCycleForm()));

  function cycleRow(c) {
    const start = c.status === 'draft' ? h('button', { type: 'button', class: 'button primary', 'data-testid': 'cycle-start' }, 'Start') : null;
    start?.addEventListener('click', async () => {
      start.disabled = true;
      error.clear();
      try {
        const next = await api.startReviewCycle(c.id);
        if (gone) return;
        showToast({ message: `Started ${next.name}: ${plural(next.reviews, 'review', 'reviews')} pending.` });
        load();
      } catch (err) {
        if (gone) return;
        error.show(err.message);
        start.disabled = false;
      }
    });
    return h('tr', { 'data-testid': 'cycle-row', 'data-id': c.id, 'data-status': c.status },
      h('td', { class: 'cycle-name', 'data-testid': 'cycle-row-name' }, c.name),
      h('td', { class: 'nowrap' }, `${formatDate(c.startsOn)} – ${formatDate(c.endsOn)}`),
      h('td', null, h('span', { class: `badge ${STATUS_BADGE[c.status] ?? ''}`, 'data-testid': 'cycle-status' }, humanise(c.status))),
      h('td', { class: 'num', 'data-testid': 'cycle-participants' }, String(c.participants)),
      h('td', { class: 'num', 'data-testid': 'cycle-reviews' },
        c.status === 'draft' ? h('span', { class: 'muted' }, '—') : `${c.submitted} of ${c.reviews} submitted`),
      h('td', { class: 'cycle-actions' }, start));
  }

  async function load() {
    const mine = ++seq;
    try {
      const cycles = await api.reviewCycles();
      if (mine !== seq || gone) return;
      fill(tbody, cycles.map(cycleRow));
      empty.hidden = cycles.length > 0;
      table.hidden = cycles.length === 0;
    } catch (err) {
      if (mine === seq && !gone) showError(err.message);
    }
  }

  function newCycleForm() {
    const name = input('cycle-name', { type: 'text', placeholder: 'e.g. 2026 H1 performance review', autocomplete: 'off' });
    const starts = input('cycle-starts', { type: 'date', value: dateFromToday() });
    const ends = input('cycle-ends', { type: 'date', value: dateFromToday({ days: 28 }) });
    const department = h('select', { class: 'input', 'data-testid': 'cycle-department' }, h('option', { value: '' }, 'Everyone'));
    const formErr = formError('cycle-form-error');
    const create = h('button', { type: 'submit', class: 'button primary', 'data-testid': 'cycle-create' }, 'Create review cycle');

    (async () => {
      try {
        const names = await api.departments();
        if (gone) return;
        department.append(...names.map((d) => h('option', { value: d }, d)));
      } catch (err) {
        if (!gone) showError(err.message);
      }
    })();

    const form = h('form', { class: 'admin-form', novalidate: true, 'data-testid': 'cycle-form' },
      field('Name', name),
      h('div', { class: 'field-row three' },
        field('Starts', starts),
        field('Ends', ends),
        field('Department', department)),
      formErr.el,
      h('div', { class: 'form-actions' }, create));

    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      formErr.clear();
      if (!name.value.trim()) { formErr.show('Give the review cycle a name.'); name.focus(); return; }
      if (!starts.value || !ends.value) { formErr.show('Enter the dates the cycle starts and ends.'); (starts.value ? ends : starts).focus(); return; }
      create.disabled = true;
      try {
        const cycle = await api.createReviewCycle({
          name: name.value.trim(),
          startsOn: starts.value,
          endsOn: ends.value,
          department: department.value || null,
        });
        if (gone) return;
        name.value = '';
        showToast({ message: `Created ${cycle.name} with ${plural(cycle.participants, 'participant', 'participants')}. Start it when you are ready.` });
        load();
      } catch (err) {
        if (!gone) formErr.show(err.message);
      } finally {
        create.disabled = false;
      }
    });

    return h('div', { class: 'card admin-card' },
      h('h2', { class: 'card-title' }, 'New review cycle'),
      h('p', { class: 'muted' }, 'A new cycle is a draft: participants are the active people (of one department, or everyone). Starting it gives each a pending review by their manager.'),
      form);
  }

  load();
  return () => { gone = true; seq++; };
}
