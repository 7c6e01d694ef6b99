// The sign-in screen, with its two ways back in: "Forgot password?" mails a
// code, "Set password with a code" uses it (also the code an admin sent with
// "Send Password Mail"). Backend messages are shown as given.
import * as api from '../api.js';
import { h, fill } from '../components/dom.js';
import { field, input, formError, passwordProblem, MIN_PASSWORD } from '../components/form.js';

// A Performance API mark: when the sign-in form first showed.
const SHOWN_MARK = 'roster:sign-in-shown';
const SENT = 'If an active account uses this email, a code is on its way. It is valid for 24 hours.';

// status: the workspace status (for the company name and path); message: why
// the screen is shown ("Your session expired: sign in again."), or null.
export function mountSignIn(container, { status, message = null, onSignedIn }) {
  const card = h('section', { class: 'card auth', 'data-testid': 'sign-in' });
  fill(container, h('main', { class: 'center-screen' }, card));
  let email = '';
  let timer = 0;
  let gone = false;

  const linkButton = (testid, label, onclick) => h('button', { type: 'button', class: 'link-button', 'data-testid': testid, onclick }, label);

  function frame(title, lead, ...content) {
    clearTimeout(timer);
    fill(card,
      h('div', { class: 'brand brand-large' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), 'Roster'),
      h('h1', { class: 'page-title' }, title),
      lead && h('p', { class: 'muted auth-lead' }, lead),
      content,
      status?.path && h('p', { class: 'muted small workspace-path' }, 'Workspace: ', h('code', null, status.path)));
  }

  // ── Sign in ──────────────────────────────────────────────────────────────
  function signInForm(notice) {
    const emailInput = input('sign-in-email', { type: 'email', autocomplete: 'username', value: email, required: true });
    const password = input('sign-in-password', { type: 'password', autocomplete: 'current-password', required: true });
    const error = formError('sign-in-error');
    const submit = h('button', { type: 'submit', class: 'button primary', 'data-testid': 'sign-in-submit' }, 'Sign in');
    if (notice) { error.show(notice); error.el.classList.add('notice'); }

    const form = h('form', { class: 'wizard-form', novalidate: true },
      field('Email', emailInput),
      field('Password', password),
      error.el,
      h('div', { class: 'form-actions auth-actions' },
        h('div', { class: 'auth-links' },
          linkButton('forgot-password', 'Forgot password?', () => { email = emailInput.value.trim(); forgotForm(); }),
          linkButton('set-password-with-code', 'Set password with a code', () => { email = emailInput.value.trim(); codeForm(); })),
        submit));

    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      email = emailInput.value.trim();
      error.el.classList.remove('notice');
      error.clear();
      if (!email || !password.value) {
        error.show('Enter your email and password.');
        (email ? password : emailInput).focus();
        return;
      }
      submit.disabled = true;
      try {
        const result = await api.signIn(email, password.value);
        if (!gone) onSignedIn(result);
      } catch (err) {
        if (gone) return;
        error.show(err.message);
        password.value = '';
        password.focus();
        // "Too many wrong passwords: wait N seconds and try again." — the button
        // waits as long as the backend asks.
        const wait = err.code === 'unavailable' && /wait (\d+) seconds?/i.exec(err.message);
        if (wait) {
          timer = setTimeout(() => { submit.disabled = false; }, Number(wait[1]) * 1000);
          return;
        }
        submit.disabled = false;
      }
    });

    const company = status?.company?.name;
    frame(company ? `Sign in to ${company}` : 'Sign in', null, form);
    // When the form is first on screen: the launch benchmark reads this mark.
    requestAnimationFrame(() => { if (!performance.getEntriesByName(SHOWN_MARK).length) performance.mark(SHOWN_MARK); });
    (email ? password : emailInput).focus();
  }

  const backButton = () => linkButton('back-to-sign-in', '← Back to sign in', () => signInForm(null));

  // ── Forgot password ──────────────────────────────────────────────────────
  function forgotForm() {
    const emailInput = input('forgot-email', { type: 'email', autocomplete: 'username', value: email, required: true });
    const error = formError('forgot-error');
    const submit = h('button', { type: 'submit', class: 'button primary', 'data-testid': 'forgot-submit' }, 'Send code');
    const form = h('form', { class: 'wizard-form', novalidate: true, 'data-testid': 'forgot-form' },
      field('Email', emailInput),
      error.el,
      h('div', { class: 'form-actions auth-actions' }, h('div', { class: 'auth-links' }, backButton()), submit));

    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      error.clear();
      email = emailInput.value.trim();
      if (!email) { error.show('Enter the email you sign in with.'); emailInput.focus(); return; }
      submit.disabled = true;
      try {
        await api.requestPasswordCode(email);
        if (!gone) sent();
      } catch (err) {
        if (gone) return;
        error.show(err.message);
        submit.disabled = false;
      }
    });

    frame('Forgot password', 'We mail you a code to set a new password.', form);
    emailInput.focus();
  }

  function sent() {
    const next = h('button', { type: 'button', class: 'button primary', 'data-testid': 'forgot-have-code', onclick: () => codeForm() }, 'I have a code');
    frame('Forgot password', null,
      h('p', { class: 'auth-sent', role: 'status', 'data-testid': 'forgot-sent' }, SENT),
      h('div', { class: 'form-actions auth-actions' }, h('div', { class: 'auth-links' }, backButton()), next));
    next.focus();
  }

  // ── Set password with a code ─────────────────────────────────────────────
  function codeForm() {
    const emailInput = input('code-email', { type: 'email', autocomplete: 'username', value: email, required: true });
    const code = input('code-value', { type: 'text', autocomplete: 'one-time-code', spellcheck: 'false', required: true });
    const password = input('code-password', { type: 'password', autocomplete: 'new-password', required: true });
    const repeat = input('code-repeat', { type: 'password', autocomplete: 'new-password', required: true });
    const error = formError('code-error');
    const submit = h('button', { type: 'submit', class: 'button primary', 'data-testid': 'code-submit' }, 'Set password and sign in');

    const form = h('form', { class: 'wizard-form', novalidate: true, 'data-testid': 'code-form' },
      field('Email', emailInput),
      field('Code', code, 'From the mail, valid for 24 hours.'),
      h('div', { class: 'field-row' },
        field('New password', password),
        field('Repeat password', repeat)),
      h('p', { class: 'field-hint' }, `At least ${MIN_PASSWORD} characters.`),
      error.el,
      h('div', { class: 'form-actions auth-actions' }, h('div', { class: 'auth-links' }, backButton()), submit));

    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      error.clear();
      email = emailInput.value.trim();
      const value = code.value.trim();
      if (!email) { error.show('Enter the email you sign in with.'); emailInput.focus(); return; }
      if (!value) { error.show('Enter the code from the mail.'); code.focus(); return; }
      const problem = passwordProblem(password.value, repeat.value);
      if (problem) { error.show(problem); (password.value.length < MIN_PASSWORD ? password : repeat).focus(); return; }
      submit.disabled = true;
      try {
        const result = await api.setPasswordWithCode(email, value, password.value);
        if (!gone) onSignedIn(result);
      } catch (err) {
        if (gone) return;
        error.show(err.message);
        submit.disabled = false;
      }
    });

    frame('Set password with a code', 'Use the code from the password mail to choose a new password.', form);
    (email ? code : emailInput).focus();
  }

  signInForm(message);
  return () => { gone = true; clearTimeout(timer); };
}
