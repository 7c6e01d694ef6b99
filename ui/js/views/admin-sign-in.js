// Admin > Sign-in: how long a signed-in window may stay idle before it must
// sign in again (deactivating someone ends their sessions at once anyway).
import * as api from '../api.js';
import { h, fill } from '../components/dom.js';
import { field, input, formError } from '../components/form.js';
import { showToast, showError } from '../components/toast.js';
import { plural } from '../format.js';

export function mountSignInSettings(container) {
  let gone = false;
  const header = () => h('header', { class: 'page-header' }, h('h1', { class: 'page-title' }, 'Sign-in'));
  const section = h('section', { class: 'admin-page', 'data-testid': 'admin-sign-in' }, header(), h('p', { class: 'muted' }, 'Loading…'));
  fill(container, section);

  function render(minutes) {
    const idle = input('session-timeout', {
      type: 'number', min: 1, max: 1440, step: 1, inputmode: 'numeric', class: 'input interval-input', value: String(minutes),
    });
    const error = formError('session-timeout-error');
    const save = h('button', { type: 'submit', class: 'button', 'data-testid': 'session-timeout-save' }, 'Save');
    const form = h('form', { class: 'card admin-card', novalidate: true },
      h('h2', { class: 'card-title' }, 'Idle windows'),
      field('Sign out a window that has been idle for', h('span', null, idle, ' minutes'),
        'From 1 minute to 1440 (24 hours). Deactivated people are signed out at once.'),
      error.el,
      h('div', { class: 'form-actions' }, save));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      error.clear();
      const value = Number(idle.value);
      if (idle.value.trim() === '' || !Number.isInteger(value)) {
        error.show('Enter the minutes as a whole number, from 1 to 1440.');
        return;
      }
      save.disabled = true;
      try {
        const now = await api.setSessionTimeout(value);
        if (gone) return;
        idle.value = String(now);
        showToast({ message: `Idle windows now sign out after ${plural(now, 'minute', 'minutes')}.` });
      } catch (err) {
        if (!gone) error.show(err.message);
      } finally {
        if (!gone) save.disabled = false;
      }
    });
    fill(section, header(), form);
  }

  api.sessionTimeout().then((minutes) => { if (!gone) render(minutes); }, (err) => { if (!gone) showError(err.message); });
  return () => { gone = true; };
}
