// The one way to deactivate, from the directory (one or many) and the profile.
// It shows the plan first and, when the people have active direct reports, asks
// who takes them over, so nobody is left with a manager who cannot sign in.
import * as api from '../api.js';
import { h, fill, append } from '../components/dom.js';
import { openDialog } from '../components/dialog.js';
import { showError } from '../components/toast.js';
import { announceChange } from '../changes.js';
import { debounce } from '../debounce.js';
import { plural } from '../format.js';

const LIST_LIMIT = 50; // names listed before "and N more"

function nameList(people, describe = (p) => p.name) {
  const shown = people.slice(0, LIST_LIMIT);
  return h('ul', { class: 'name-list' },
    shown.map((p) => h('li', null, describe(p))),
    people.length > shown.length && h('li', { class: 'muted' }, `and ${people.length - shown.length} more`));
}

export async function openDeactivateDialog(ids) {
  let plan;
  try {
    plan = await api.deactivationPlan(ids);
  } catch (err) {
    showError(err.message);
    return;
  }

  const count = plan.people.length;
  const title = count === 1 ? `Deactivate ${plan.people[0].name}?`
    : count === 0 ? 'Nobody to deactivate' : `Deactivate ${count} people?`;

  const dialog = openDialog({ testid: 'deactivate-dialog', title, onCancel: () => dialog.close() });
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'deactivate-error', hidden: true });
  const cancel = h('button', { type: 'button', class: 'button', 'data-testid': 'deactivate-cancel', onclick: () => dialog.close() }, 'Cancel');

  if (count === 0) {
    dialog.body.append(h('p', null, 'Everyone you selected is already deactivated.'));
    cancel.textContent = 'Close';
    dialog.footer.append(cancel);
    cancel.focus();
    return;
  }

  const reason = h('textarea', {
    id: 'deactivate-reason', class: 'input', rows: 2, 'data-testid': 'deactivate-reason',
    placeholder: 'e.g. Left the company on 28 February',
  });
  const confirm = h('button', { type: 'button', class: 'button danger', 'data-testid': 'deactivate-confirm' },
    count === 1 ? 'Deactivate' : `Deactivate ${count} people`);

  append(dialog.body, [
    h('p', null, 'They keep every record and stop counting toward your seats. They can no longer sign in. You can reactivate them at any time.'),
    plan.alreadyDeactivated.length > 0 && h('div', { class: 'note', 'data-testid': 'already-deactivated' },
      h('p', null, `${plural(plan.alreadyDeactivated.length, 'person is', 'people are')} already deactivated, left as is:`),
      nameList(plan.alreadyDeactivated)),
    h('label', { class: 'field' },
      h('span', { class: 'field-label' }, 'Reason ', h('span', { class: 'muted' }, '(optional)')),
      reason),
  ]);

  const handover = plan.reports.length > 0 ? handoverSection(plan, ids, () => updateConfirm()) : null;
  if (handover) dialog.body.append(handover.el);
  dialog.body.append(error);
  dialog.footer.append(cancel, confirm);

  function updateConfirm() {
    confirm.disabled = handover ? handover.value() === undefined : false;
  }
  updateConfirm();

  confirm.addEventListener('click', async () => {
    const choice = handover ? handover.value() : null;
    if (choice === undefined) return;
    confirm.disabled = true;
    cancel.disabled = true;
    error.hidden = true;
    try {
      const change = await api.deactivate(ids, reason.value.trim() || null, choice);
      dialog.close();
      announceChange(change);
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
      cancel.disabled = false;
      updateConfirm();
    }
  });

  reason.focus();
}

// Returns { el, value() } where value() is the Handover, or undefined while the
// choice is incomplete.
function handoverSection(plan, ids, onInput) {
  const excluded = new Set([...ids, ...plan.people.map((p) => p.id)]);
  const n = plan.reports.length;
  const managers = new Set(plan.reports.map((r) => r.managerId));
  let chosen = null; // { id, name }
  let seq = 0;

  const someone = h('input', { type: 'radio', name: 'handover', value: 'to', 'data-testid': 'handover-someone' });
  const nobody = h('input', { type: 'radio', name: 'handover', value: 'nobody', 'data-testid': 'handover-nobody' });
  const search = h('input', {
    type: 'search', class: 'input', placeholder: 'Search active people', autocomplete: 'off',
    'aria-label': 'New manager', 'data-testid': 'handover-search',
  });
  const options = h('div', { class: 'handover-options', role: 'listbox', 'aria-label': 'People' });
  const chosenLine = h('p', { class: 'handover-chosen', 'data-testid': 'handover-chosen', hidden: true });

  async function find(text) {
    const mine = ++seq;
    try {
      const page = await api.directoryPage({ view: 'billable', search: text, sort: 'name', desc: false }, 0, 8);
      if (mine !== seq) return;
      const people = page.rows.filter((r) => !excluded.has(r.id));
      fill(options, people.length ? people.map(option) : h('p', { class: 'muted small' }, text ? `Nobody active matches “${text}”` : 'Nobody else is active'));
    } catch (err) {
      if (mine === seq) fill(options, h('p', { class: 'form-error' }, err.message));
    }
  }

  function option(person) {
    const selected = chosen?.id === person.id;
    return h('button', {
      type: 'button', class: `handover-option${selected ? ' selected' : ''}`, role: 'option',
      'aria-selected': String(selected), 'data-testid': 'handover-option', 'data-id': person.id,
      onclick: () => {
        chosen = { id: person.id, name: person.name };
        someone.checked = true;
        for (const b of options.querySelectorAll('.handover-option')) {
          const on = b.dataset.id === person.id;
          b.classList.toggle('selected', on);
          b.setAttribute('aria-selected', String(on));
        }
        chosenLine.textContent = `${person.name} (${person.email}) will manage them.`;
        chosenLine.hidden = false;
        onInput();
      },
    }, h('span', { class: 'option-name' }, person.name), person.title ? ` · ${person.title}` : '',
    // Namesakes are common in a large company: the email tells them apart.
    h('span', { class: 'option-email' }, person.email));
  }

  const findSoon = debounce(find, 120);
  search.addEventListener('input', () => { someone.checked = true; onInput(); findSoon(search.value.trim()); });
  search.addEventListener('focus', () => { if (!nobody.checked) { someone.checked = true; onInput(); } });
  const onRadio = () => { chosenLine.hidden = nobody.checked || !chosen; onInput(); };
  someone.addEventListener('change', onRadio);
  nobody.addEventListener('change', onRadio);
  find('');

  const el = h('fieldset', { class: 'handover', 'data-testid': 'handover' },
    h('legend', null, `Who takes over their ${plural(n, 'direct report', 'direct reports')}?`),
    nameList(plan.reports, (r) => (managers.size > 1 ? `${r.name} (reports to ${r.managerName})` : r.name)),
    h('label', { class: 'radio' }, someone, ' Someone:'),
    h('div', { class: 'handover-picker' }, search, options, chosenLine),
    h('label', { class: 'radio' }, nobody, ' Nobody — they will have no manager'),
  );

  return {
    el,
    value() {
      if (nobody.checked) return { kind: 'nobody' };
      if (someone.checked && chosen) return { kind: 'to', personId: chosen.id };
      return undefined;
    },
  };
}
