// Form pieces shared by the wizard, the sign-in screen, dialogs and Admin.
import { h } from './dom.js';

export const MIN_PASSWORD = 10;

export function field(label, input, hint) {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), input,
    hint && h('span', { class: 'field-hint' }, hint));
}

export const input = (testid, attrs = {}) => h('input', { class: 'input', 'data-testid': testid, ...attrs });

// An error line under a form; `show(message)` / `clear()`.
export function formError(testid) {
  const el = h('p', { class: 'form-error', role: 'alert', 'data-testid': testid, hidden: true });
  return {
    el,
    show(message) { el.textContent = message; el.hidden = false; },
    clear() { el.hidden = true; el.textContent = ''; },
  };
}

// The UI's own check of a new password and its repeat; the backend checks
// again and its message is shown as given. Returns a sentence or null.
export function passwordProblem(password, repeat) {
  if (password.length < MIN_PASSWORD) return `Use at least ${MIN_PASSWORD} characters for the password.`;
  if (password !== repeat) return 'The two passwords do not match.';
  return null;
}
