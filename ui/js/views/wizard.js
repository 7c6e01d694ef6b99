// First run: create the company and its first admin, optionally with a demo
// company to look around in. The backend validates; we show its message.
import * as api from '../api.js';
import { h, fill } from '../components/dom.js';

function field(label, input, hint) {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), input,
    hint && h('span', { class: 'field-hint' }, hint));
}

export function mountWizard(container, { status, onReady }) {
  const input = (testid, attrs = {}) => h('input', { class: 'input', 'data-testid': testid, ...attrs });
  const company = input('wizard-company-name', { type: 'text', autocomplete: 'organization', required: true });
  const seats = input('wizard-seats', { type: 'number', min: 1, step: 1, inputmode: 'numeric', placeholder: 'e.g. 250', required: true });
  const first = input('wizard-admin-first', { type: 'text', autocomplete: 'given-name', required: true });
  const last = input('wizard-admin-last', { type: 'text', autocomplete: 'family-name', required: true });
  const email = input('wizard-admin-email', { type: 'email', autocomplete: 'email', required: true });
  const demo = h('input', { type: 'checkbox', 'data-testid': 'wizard-demo' });
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'wizard-error', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button primary', 'data-testid': 'wizard-submit' }, 'Create company');

  const showError = (message) => { error.textContent = message; error.hidden = false; };

  // novalidate: the backend owns the rules, and its message is the one shown.
  const form = h('form', { class: 'wizard-form', novalidate: true },
    field('Company name', company),
    field('Seats in your license', seats, 'Only active people count toward seats.'),
    h('fieldset', { class: 'fieldset' },
      h('legend', null, 'First admin'),
      h('div', { class: 'field-row' }, field('First name', first), field('Last name', last)),
      field('Email', email)),
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
    submit.disabled = true;
    submit.textContent = demo.checked ? 'Creating demo company…' : 'Creating company…';
    try {
      const ready = await api.setupCompany({
        companyName: company.value.trim(),
        seats: seatCount,
        adminFirstName: first.value.trim(),
        adminLastName: last.value.trim(),
        adminEmail: email.value.trim(),
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
