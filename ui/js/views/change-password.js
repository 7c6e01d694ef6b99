// "Change password" from the account menu: anyone signed in, their own password.
import * as api from '../api.js';
import { h, append } from '../components/dom.js';
import { openDialog } from '../components/dialog.js';
import { field, input, formError, passwordProblem, MIN_PASSWORD } from '../components/form.js';
import { showToast } from '../components/toast.js';

export function openChangePasswordDialog() {
  const dialog = openDialog({ testid: 'change-password', title: 'Change password', onCancel: () => dialog.close(), onSubmit: () => submit() });
  const current = input('change-password-current', { type: 'password', autocomplete: 'current-password' });
  const password = input('change-password-new', { type: 'password', autocomplete: 'new-password' });
  const repeat = input('change-password-repeat', { type: 'password', autocomplete: 'new-password' });
  const error = formError('change-password-error');
  const cancel = h('button', { type: 'button', class: 'button', 'data-testid': 'change-password-cancel', onclick: () => dialog.close() }, 'Cancel');
  const save = h('button', { type: 'submit', class: 'button primary', 'data-testid': 'change-password-submit' }, 'Change password');

  append(dialog.body, [
    field('Current password', current),
    field('New password', password, `At least ${MIN_PASSWORD} characters.`),
    field('Repeat new password', repeat),
    error.el,
  ]);
  dialog.footer.append(cancel, save);

  async function submit() {
    if (save.disabled) return;
    error.clear();
    if (!current.value) { error.show('Enter your current password.'); current.focus(); return; }
    const problem = passwordProblem(password.value, repeat.value);
    if (problem) { error.show(problem); (password.value.length < MIN_PASSWORD ? password : repeat).focus(); return; }
    save.disabled = true;
    cancel.disabled = true;
    try {
      await api.changePassword(current.value, password.value);
      dialog.close();
      showToast({ message: 'Your password is changed.' });
    } catch (err) {
      error.show(err.message);
      save.disabled = false;
      cancel.disabled = false;
    }
  }

  current.focus();
}
