// Admin: a side nav (Mail, Outbox, Subscription, Review cycles, Integrations,
// Imports, Sign-in) and the page chosen by the route #/admin/<page>. A page marked
// `detail` also has pages of its own: #/admin/imports/<run id>.
import { h, fill } from '../components/dom.js';
import { mountMailSettings } from './admin-mail.js';
import { mountOutbox } from './admin-outbox.js';
import { mountSubscription } from './admin-subscription.js';
import { mountCycles } from './admin-cycles.js';
import { mountIntegrations } from './admin-integrations.js';
import { mountImports } from './admin-imports.js';
import { mountSignInSettings } from './admin-sign-in.js';

const PAGES = [
  { key: 'mail', label: 'Mail', mount: mountMailSettings },
  { key: 'outbox', label: 'Outbox', mount: mountOutbox },
  { key: 'subscription', label: 'Subscription', mount: mountSubscription },
  { key: 'cycles', label: 'Review cycles', mount: mountCycles },
  { key: 'integrations', label: 'Integrations', mount: mountIntegrations },
  { key: 'imports', label: 'Imports', mount: mountImports, detail: true },
  { key: 'sign-in', label: 'Sign-in', mount: mountSignInSettings },
];

export const ADMIN_PAGES = PAGES.map((p) => p.key);

export function mountAdmin(container, { page, sub = null, actor }) {
  const current = PAGES.find((p) => p.key === page) ?? PAGES[0];
  if (sub && !current.detail) {
    history.replaceState(null, '', `#/admin/${current.key}`);
    sub = null;
  }
  const content = h('div', { class: 'admin-content' });
  fill(container, h('div', { class: 'admin', 'data-testid': 'admin' },
    h('nav', { class: 'subnav', 'aria-label': 'Admin' },
      h('p', { class: 'subnav-title' }, 'Admin'),
      PAGES.map((p) => h('a', {
        class: 'subnav-link', href: `#/admin/${p.key}`, 'data-testid': `admin-nav-${p.key}`,
        'aria-current': p === current ? 'page' : null,
      }, p.label))),
    content));
  return current.mount(content, { actor, sub });
}
