// Sync hold: "keep NAME active until DATE — reason". Until that date the HRIS
// import does not deactivate the person (its plan lists them as held). It
// replaces the help article's dance — switch automatic imports off, reactivate,
// switch them back on, and lose the person again at the next import — with one
// step on the profile. Offered in the Manage menu of an active person; a
// profile with a hold shows a banner with "Remove hold".
import * as api from '../api.js';
import { h, append } from '../components/dom.js';
import { openDialog } from '../components/dialog.js';
import { formError } from '../components/form.js';
import { showError } from '../components/toast.js';
import { announceSyncHold } from '../changes.js';
import { dateFromToday, formatDate, formatDateTime } from '../format.js';

const DEFAULT_DAYS = 30;

// person: { id, name, syncHold }
export function openSyncHoldDialog(person) {
  const current = person.syncHold ?? null;
  const dialog = openDialog({
    testid: 'sync-hold-dialog',
    title: `Keep ${person.name} active`,
    onCancel: () => dialog.close(),
    onSubmit: () => save(),
  });
  const today = dateFromToday();
  const until = h('input', {
    type: 'date', class: 'input', id: 'hold-until', 'data-testid': 'hold-until',
    value: current?.until ? formatDate(current.until) : dateFromToday({ days: DEFAULT_DAYS }), min: today,
  });
  const reason = h('textarea', {
    class: 'input', id: 'hold-reason', rows: 2, 'data-testid': 'hold-reason',
    placeholder: 'e.g. Contract extended to June; HR is updating the HRIS',
    value: current?.reason ?? '',
  });
  const error = formError('hold-error');
  const cancel = h('button', { type: 'button', class: 'button', 'data-testid': 'hold-cancel', onclick: () => dialog.close() }, 'Cancel');
  const submit = h('button', { type: 'submit', class: 'button primary', 'data-testid': 'hold-save' }, current ? 'Save hold' : 'Keep active');

  append(dialog.body, [
    h('p', null, `Until this date, the HRIS import does not deactivate ${person.name}, even when the file lists them as inactive. Its plan shows them as held. Everything else in the file still updates them.`),
    h('label', { class: 'field', for: 'hold-until' },
      h('span', { class: 'field-label' }, 'Keep active until'), until,
      h('span', { class: 'field-hint' }, 'After this date the import updates their status from the file again.')),
    h('label', { class: 'field', for: 'hold-reason' }, h('span', { class: 'field-label' }, 'Reason'), reason),
    error.el,
  ]);
  dialog.footer.append(cancel, submit);

  let busy = false;
  async function save() {
    if (busy) return;
    error.clear();
    if (!until.value) { error.show('Choose the date until which they stay active.'); until.focus(); return; }
    if (until.value < today) { error.show('Choose a date from today on.'); until.focus(); return; }
    busy = true;
    submit.disabled = true;
    cancel.disabled = true;
    try {
      const hold = await api.setSyncHold(person.id, until.value, reason.value.trim());
      dialog.close();
      announceSyncHold(`${person.name} stays active until ${formatDate(hold?.until ?? until.value)}: the HRIS import will not deactivate them.`);
    } catch (err) {
      error.show(err.message);
      submit.disabled = false;
      cancel.disabled = false;
      busy = false;
    }
  }

  until.focus();
}

async function clearHold(person, button) {
  button.disabled = true;
  try {
    await api.clearSyncHold(person.id);
    announceSyncHold(`Removed the sync hold: the next HRIS import updates ${person.name} from the file again.`);
  } catch (err) {
    button.disabled = false;
    showError(err.message);
  }
}

const byName = (by) => (by && typeof by === 'object' ? by.name : by) || null;

// "Kept active until DATE — REASON. The HRIS import will not deactivate NAME
// until then." A hold whose date has passed says so: it protects nobody.
export function syncHoldBanner(person) {
  const hold = person.syncHold;
  const until = formatDate(hold.until);
  const ended = !!until && until < dateFromToday();
  const reason = hold.reason ? ` — ${hold.reason}` : '';
  const remove = h('button', { type: 'button', class: 'button', 'data-testid': 'hold-clear' }, 'Remove hold');
  remove.addEventListener('click', () => clearHold(person, remove));
  const who = byName(hold.createdBy);
  const set = [who && `by ${who}`, hold.createdAt && `on ${formatDate(hold.createdAt)}`].filter(Boolean).join(' ');
  return h('div', { class: `banner sync-hold${ended ? ' ended' : ''}`, role: 'status', 'data-testid': 'sync-hold-banner', 'data-until': until },
    h('div', { class: 'banner-text' },
      h('p', { class: 'banner-title', 'data-testid': 'sync-hold-text' }, ended
        ? `The sync hold ended on ${until}${reason}. The HRIS import may deactivate ${person.name} again.`
        : `Kept active until ${until}${reason}. The HRIS import will not deactivate ${person.name} until then.`),
      set && h('p', { class: 'banner-hint', title: formatDateTime(hold.createdAt) }, `Sync hold set ${set}.`)),
    remove);
}
