// Admin > Outbox: every mail Roster made, newest first, with its full text —
// without a mail server this is where an admin reads a password code and hands
// it over. Failed and pending mail can be retried.
import * as api from '../api.js';
import { h, fill } from '../components/dom.js';
import { showError } from '../components/toast.js';
import { formatDateTime, plural } from '../format.js';

const PAGE = 50;
const STATUS = {
  outbox: { label: 'In Outbox', class: 'muted-badge' },
  pending: { label: 'Pending', class: 'warn-badge' },
  sent: { label: 'Sent', class: 'ok-badge' },
  failed: { label: 'Failed', class: 'danger-badge' },
};
const retryable = (item) => item.status === 'failed' || item.status === 'pending';

export function mountOutbox(container) {
  let items = [];
  let total = 0;
  let seq = 0;

  const list = h('ul', { class: 'mail-list', 'data-testid': 'mail-list' });
  const empty = h('p', { class: 'empty-note', 'data-testid': 'outbox-empty', hidden: true },
    'No mail yet. Password mail and test mail show up here.');
  const count = h('p', { class: 'muted small', 'data-testid': 'outbox-count' });
  const more = h('button', { type: 'button', class: 'button', 'data-testid': 'outbox-load-more', hidden: true }, 'Load more');
  const refresh = h('button', { type: 'button', class: 'button', 'data-testid': 'outbox-refresh', onclick: () => load(true) }, 'Refresh');

  fill(container, h('section', { class: 'admin-page', 'data-testid': 'admin-outbox' },
    h('header', { class: 'page-header' }, h('h1', { class: 'page-title' }, 'Outbox'), refresh),
    h('p', { class: 'muted' }, 'All mail Roster has made, newest first. Hand a code over only to the person it is for.'),
    h('div', { class: 'card mail-card' }, list, empty),
    h('div', { class: 'audit-footer' }, count, more)));

  function mailItem(item) {
    const badge = STATUS[item.status] ?? { label: item.status, class: '' };
    const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'mail-retry-error', hidden: true });
    const retry = retryable(item) ? h('button', { type: 'button', class: 'button', 'data-testid': 'mail-retry' }, 'Retry') : null;
    const el = h('li', { class: `mail-item status-${item.status}`, 'data-testid': 'mail-item', 'data-id': item.id, 'data-status': item.status },
      h('div', { class: 'mail-head' },
        h('div', { class: 'mail-meta' },
          h('p', { class: 'mail-subject', 'data-testid': 'mail-subject' }, item.subject),
          h('p', { class: 'muted small' },
            'To ', h('span', { class: 'mail-to', 'data-testid': 'mail-to' }, item.to),
            ' · ', h('span', { title: item.createdAt }, formatDateTime(item.createdAt)),
            item.sentAt && ` · sent ${formatDateTime(item.sentAt)}`,
            item.attempts > 0 && ` · ${plural(item.attempts, 'attempt', 'attempts')}`)),
        h('span', { class: `badge ${badge.class}`, 'data-testid': 'mail-status' }, badge.label),
        retry),
      item.status === 'failed' && item.lastError && h('p', { class: 'mail-error', 'data-testid': 'mail-last-error' }, item.lastError),
      h('pre', { class: 'mail-body', 'data-testid': 'mail-body' }, item.body),
      error);

    retry?.addEventListener('click', async () => {
      retry.disabled = true;
      error.hidden = true;
      try {
        const next = await api.retryMail(item.id);
        const i = items.findIndex((x) => x.id === item.id);
        if (i >= 0) items[i] = next;
        if (el.isConnected) el.replaceWith(mailItem(next));
      } catch (err) {
        error.textContent = err.message;
        error.hidden = false;
        retry.disabled = false;
      }
    });
    return el;
  }

  async function load(reset) {
    const mine = ++seq;
    more.disabled = true;
    try {
      const res = await api.outbox(reset ? 0 : items.length, PAGE);
      if (mine !== seq) return;
      total = res.total;
      if (reset) {
        items = res.items;
        fill(list, items.map(mailItem));
      } else {
        items = items.concat(res.items);
        list.append(...res.items.map(mailItem));
      }
      empty.hidden = items.length > 0;
      list.hidden = items.length === 0;
      count.textContent = total ? `Showing ${items.length} of ${total}` : '';
      more.hidden = items.length >= total || res.items.length === 0;
    } catch (err) {
      if (mine === seq) showError(err.message);
    } finally {
      if (mine === seq) more.disabled = false;
    }
  }

  more.addEventListener('click', () => load(false));
  load(true);
  return () => { seq++; };
}
