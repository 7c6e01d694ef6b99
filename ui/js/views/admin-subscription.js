// Admin > Subscription: plan, seats, until when it is paid, how many people
// were active each day against the seat limit, and "Restart subscription"
// (the way back for review cycles after it lapsed).
import * as api from '../api.js';
import { h, fill } from '../components/dom.js';
import { field, input, formError } from '../components/form.js';
import { createSeatChart } from '../components/seat-chart.js';
import { showToast, showError } from '../components/toast.js';
import { announceStatusChange } from '../changes.js';
import { dateFromToday, formatDate, humanise } from '../format.js';

export function mountSubscription(container) {
  let gone = false;
  const section = h('section', { class: 'admin-page', 'data-testid': 'admin-subscription' },
    h('header', { class: 'page-header' }, h('h1', { class: 'page-title' }, 'Subscription')),
    h('p', { class: 'muted' }, 'Loading…'));
  fill(container, section);

  async function load() {
    try {
      const data = await api.subscription();
      if (!gone) render(data);
    } catch (err) {
      if (!gone) showError(err.message);
    }
  }

  function render({ subscription: sub, usage = [] }) {
    const lapsed = sub.status === 'lapsed';
    const statusText = lapsed
      ? `Lapsed since ${formatDate(sub.lapsedSince || sub.activeUntil)}`
      : `Active until ${formatDate(sub.activeUntil)}`;
    const latest = usage.length ? usage.reduce((a, b) => (String(a.day) >= String(b.day) ? a : b)) : null;
    const over = latest ? Math.max(0, latest.active - sub.seats) : 0;

    const row = (label, value, testid) => [h('dt', null, label), h('dd', { 'data-testid': testid }, value)];
    const summary = h('dl', { class: 'details card' },
      row('Plan', humanise(sub.plan) || '—', 'subscription-plan'),
      row('Seats', String(sub.seats), 'subscription-seats'),
      row('Status', h('span', { class: `subscription-status${lapsed ? ' lapsed' : ''}`, 'data-testid': 'subscription-status' }, statusText), null),
      latest && row('In use', `${latest.active} of ${sub.seats} seats on ${formatDate(latest.day)}${over ? ` · ${over} over the limit` : ''}`, 'subscription-usage'));

    const chart = h('div', { class: 'card admin-card' },
      h('div', { class: 'card-title-row' },
        h('h2', { class: 'card-title' }, 'Active people per day'),
        h('div', { class: 'chart-legend', 'aria-hidden': 'true' },
          h('span', { class: 'legend-item' }, h('span', { class: 'legend-swatch active' }), 'Active people'),
          h('span', { class: 'legend-item' }, h('span', { class: 'legend-swatch seats' }), 'Seats'))),
      h('div', { class: 'chart-wrap' }, createSeatChart(usage, sub.seats)),
      h('p', { class: 'muted small' }, 'The last 180 days, from the audit log. Deactivated people do not count toward seats.'));

    fill(section,
      h('header', { class: 'page-header' }, h('h1', { class: 'page-title' }, 'Subscription')),
      summary,
      chart,
      restartForm(sub));
  }

  function restartForm(sub) {
    const seats = input('restart-seats', { type: 'number', min: 1, step: 1, inputmode: 'numeric', value: String(sub.seats) });
    const until = input('restart-until', { type: 'date', value: dateFromToday({ years: 1 }), min: dateFromToday({ days: 1 }) });
    const error = formError('restart-error');
    const submit = h('button', { type: 'submit', class: 'button primary', 'data-testid': 'restart-submit' }, 'Restart subscription');
    const form = h('form', { class: 'inline-form', novalidate: true, 'data-testid': 'restart-form' },
      field('Seats', seats), field('Paid until', until), submit);

    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      error.clear();
      const count = Number(seats.value);
      if (seats.value.trim() === '' || !Number.isInteger(count) || count < 1) {
        error.show('Enter the number of seats as a whole number.');
        seats.focus();
        return;
      }
      if (!until.value) { error.show('Enter the date the subscription is paid until.'); until.focus(); return; }
      submit.disabled = true;
      try {
        const next = await api.restartSubscription(count, until.value);
        if (gone) return;
        showToast({ message: `Subscription active until ${formatDate(next.activeUntil)}.` });
        announceStatusChange(); // the lapsed banner goes
        load();
      } catch (err) {
        if (gone) return;
        error.show(err.message);
        submit.disabled = false;
      }
    });

    return h('div', { class: 'card admin-card' },
      h('h2', { class: 'card-title' }, 'Restart subscription'),
      h('p', { class: 'muted' }, sub.status === 'lapsed'
        ? 'Restart the subscription so employees can sign in and review cycles can start again.'
        : 'Change the seats or extend the date the subscription is paid until.'),
      form, error.el);
  }

  load();
  return () => { gone = true; };
}
