// First run: create the company, its subscription and its first admin (who is
// signed in afterwards), optionally with a demo company to look around in.
// The backend validates; we show its message.
import * as api from '../api.js';
import { h, fill } from '../components/dom.js';
import { field, passwordProblem, MIN_PASSWORD } from '../components/form.js';
import { dateFromToday } from '../format.js';

export function mountWizard(container, { status, onReady }) {
  const input = (testid, attrs = {}) => h('input', { class: 'input', 'data-testid': testid, ...attrs });
  const company = input('wizard-company-name', { type: 'text', autocomplete: 'organization', required: true });
  const seats = input('wizard-seats', { type: 'number', min: 1, step: 1, inputmode: 'numeric', placeholder: 'e.g. 250', required: true });
  const first = input('wizard-admin-first', { type: 'text', autocomplete: 'given-name', required: true });
  const last = input('wizard-admin-last', { type: 'text', autocomplete: 'family-name', required: true });
  const email = input('wizard-admin-email', { type: 'email', autocomplete: 'email', required: true });
  const password = input('wizard-admin-password', { type: 'password', autocomplete: 'new-password', required: true });
  const repeat = input('wizard-admin-repeat', { type: 'password', autocomplete: 'new-password', required: true });
  const until = input('wizard-subscription-until', { type: 'date', value: dateFromToday({ years: 1 }), min: dateFromToday({ days: 1 }), required: true });
  const demo = h('input', { type: 'checkbox', 'data-testid': 'wizard-demo' });
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'wizard-error', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button primary', 'data-testid': 'wizard-submit' }, 'Create company');

  const showError = (message) => { error.textContent = message; error.hidden = false; };

  // novalidate: the backend owns the rules, and its message is the one shown.
  const form = h('form', { class: 'wizard-form', novalidate: true },
    field('Company name', company),
    h('div', { class: 'field-row' },
      field('Seats in your license', seats, 'Only active people count toward seats.'),
      field('Subscription paid until', until)),
    h('fieldset', { class: 'fieldset' },
      h('legend', null, 'First admin'),
      h('div', { class: 'field-row' }, field('First name', first), field('Last name', last)),
      field('Email', email),
      h('div', { class: 'field-row' },
        field('Password', password, `At least ${MIN_PASSWORD} characters.`),
        field('Repeat password', repeat))),
    h('label', { class: 'checkbox' }, demo,
      h('span', null, h('span', { class: 'checkbox-label' }, 'Start with a demo company'),
        h('span', { class: 'field-hint' }, 'about 250 people, with history, so you can look around'))),
    error,
    h('div', { class: 'form-actions' }, submit));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    const seatCount = Number(seats.value);
    if (seats.value.trim() === '' || !Number.isInteger(seatCount) || seatCount < 0) {
      showError('Enter the number of seats in your license as a whole number.');
      seats.focus();
      return;
    }
    if (!until.value) {
      showError('Enter the date the subscription is paid until.');
      until.focus();
      return;
    }
    const problem = passwordProblem(password.value, repeat.value);
    if (problem) {
      showError(problem);
      (password.value.length < MIN_PASSWORD ? password : repeat).focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = demo.checked ? 'Creating demo company…' : 'Creating company…';
    try {
      const ready = await api.setupCompany({
        companyName: company.value.trim(),
        seats: seatCount,
        adminFirstName: first.value.trim(),
        adminLastName: last.value.trim(),
        adminEmail: email.value.trim(),
        adminPassword: password.value,
        subscriptionUntil: until.value,
        demo: demo.checked,
      });
      onReady(ready);
    } catch (err) {
      showError(err.message);
      submit.disabled = false;
      submit.textContent = 'Create company';
    }
  });

  fill(container, h('main', { class: 'center-screen' },
    h('section', { class: 'card wizard', 'data-testid': 'wizard' },
      h('div', { class: 'brand brand-large' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), 'Roster'),
      h('h1', { class: 'page-title' }, 'Set up your company'),
      h('p', { class: 'muted' }, 'Roster keeps your company directory in a workspace on this computer.'),
      form,
      status?.path && h('p', { class: 'muted small workspace-path' }, 'Workspace: ', h('code', null, status.path)))));
  company.focus();
}
