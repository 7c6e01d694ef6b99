// What happens after every change: a toast with its summary (and Undo where a
// change can be undone), and a 'roster:changed' event so the list, counts,
// meter and profile refresh.
import * as api from './api.js';
import { showToast, showError, hideToast } from './components/toast.js';
import { sendPasswordMail } from './password-mail.js';

const EVENT = 'roster:changed';
const STATUS_EVENT = 'roster:status-changed';

// An undo is itself announced, but offers no further undo. After reactivating
// exactly one person the toast also offers "Send Password Mail", as the help
// article says: `reactivatedIds` are the ids the reactivation was asked for
// (a Change that names its people in `ids` wins over them).
export function announceChange(change, { undoable = change.action !== 'undo', reactivatedIds = null } = {}) {
  const actions = [];
  if (undoable) actions.push({ label: 'Undo', testid: 'toast-undo', run: () => undoChange(change.changeId) });
  const ids = Array.isArray(change.ids) ? change.ids : reactivatedIds;
  if (change.action === 'reactivate' && change.count === 1 && ids?.length === 1) {
    actions.push({ label: 'Send Password Mail', testid: 'toast-send-password-mail', run: () => sendPasswordMail(ids[0]) });
  }
  showToast({ message: change.summary, actions });
  window.dispatchEvent(new CustomEvent(EVENT, { detail: change }));
}

async function undoChange(changeId) {
  try {
    announceChange(await api.undo(changeId), { undoable: false });
  } catch (err) {
    hideToast();
    showError(err.message);
  }
}

// A merge cannot be undone, so its toast has no Undo; the event still lets
// whatever is on screen refresh (the merge screen itself then moves on to the
// destination's profile).
export function announceMerge(result) {
  showToast({ message: result.summary });
  window.dispatchEvent(new CustomEvent(EVENT, { detail: result }));
}

// A deletion cannot be undone either: the toast says what went, and the
// event refreshes the list, the counts and the seat meter.
export function announceErase(result) {
  showToast({ message: result.summary });
  window.dispatchEvent(new CustomEvent(EVENT, { detail: result }));
}

// A sync hold was set or removed: the toast says what it means, and the
// profile redraws its banner.
export function announceSyncHold(summary) {
  showToast({ message: summary });
  window.dispatchEvent(new CustomEvent(EVENT, { detail: { action: 'sync_hold' } }));
}

export function onChange(handler) {
  window.addEventListener(EVENT, handler);
  return () => window.removeEventListener(EVENT, handler);
}

// Reactivation is not destructive, so it needs no dialog.
export async function reactivatePeople(ids) {
  try {
    announceChange(await api.reactivate(ids), { reactivatedIds: ids });
  } catch (err) {
    showError(err.message);
  }
}

// Something that workspace_status reports changed (the subscription was
// restarted): main.js fetches the status again and redraws the banner.
export function announceStatusChange() {
  window.dispatchEvent(new CustomEvent(STATUS_EVENT));
}

export function onStatusChange(handler) {
  window.addEventListener(STATUS_EVENT, handler);
  return () => window.removeEventListener(STATUS_EVENT, handler);
}
