// What happens after every change: a toast with its summary and Undo, and a
// 'roster:changed' event so the list, counts, meter and profile refresh.
import * as api from './api.js';
import { showToast, showError, hideToast } from './components/toast.js';

const EVENT = 'roster:changed';

// An undo is itself announced, but offers no further undo.
export function announceChange(change, { undoable = change.action !== 'undo' } = {}) {
  showToast({
    message: change.summary,
    action: undoable ? { label: 'Undo', testid: 'toast-undo', run: () => undoChange(change.changeId) } : null,
  });
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

export function onChange(handler) {
  window.addEventListener(EVENT, handler);
  return () => window.removeEventListener(EVENT, handler);
}

// Reactivation is not destructive, so it needs no dialog.
export async function reactivatePeople(ids) {
  try {
    announceChange(await api.reactivate(ids));
  } catch (err) {
    showError(err.message);
  }
}
