// Admin > Mail: the SMTP server Roster sends password mail through. Without
// one, mail waits in the Outbox, where an admin reads it and hands it over.
// The password lives in the system keyring; when there is none, the field is
// disabled and the keyring's message says why.
import * as api from '../api.js';
import { h, fill } from '../components/dom.js';
import { field, input, formError } from '../components/form.js';
import { showToast, showError } from '../components/toast.js';

const NO_SERVER = 'No mail server is set: mail goes to the Outbox, where you can read it and hand it over.';
const SECURITY = [
  { key: 'starttls', label: 'STARTTLS', port: 587 },
  { key: 'tls', label: 'TLS', port: 465 },
  { key: 'none', label: 'None (unencrypted)', port: 25 },
];

export function mountMailSettings(container, { actor }) {
  let gone = false;
  const section = h('section', { class: 'admin-page', 'data-testid': 'admin-mail' },
    h('header', { class: 'page-header' }, h('h1', { class: 'page-title' }, 'Mail')),
    h('p', { class: 'muted' }, 'Loading…'));
  fill(container, section);

  // The test-mail card stays as it is when the settings above are saved.
  const testCard = testMailCard(actor);

  async function load() {
    try {
      const settings = await api.mailSettings();
      if (!gone) render(settings);
    } catch (err) {
      if (!gone) showError(err.message);
    }
  }

  function render(settings) {
    const smtp = settings.smtp;
    const keyring = settings.keyring ?? { available: true, message: '' };
    const host = input('mail-host', { type: 'text', value: smtp?.host ?? '', placeholder: 'smtp.example.com', autocomplete: 'off', spellcheck: 'false' });
    const port = input('mail-port', { type: 'number', min: 1, max: 65535, step: 1, inputmode: 'numeric', value: String(smtp?.port ?? 587) });
    const security = h('select', { class: 'input', 'data-testid': 'mail-security' },
      SECURITY.map((s) => h('option', { value: s.key }, s.label)));
    security.value = smtp?.security ?? 'starttls';
    const username = input('mail-username', { type: 'text', value: smtp?.username ?? '', autocomplete: 'off', spellcheck: 'false' });
    const password = input('mail-password', {
      type: 'password', autocomplete: 'new-password',
      placeholder: settings.passwordStored ? '•••••• stored' : '',
      disabled: !keyring.available,
    });
    const forget = h('input', { type: 'checkbox', 'data-testid': 'mail-password-remove' });
    forget.addEventListener('change', () => { password.disabled = forget.checked || !keyring.available; });
    const keyringLine = h('p', { class: `field-hint keyring${keyring.available ? '' : ' unavailable'}`, 'data-testid': 'mail-keyring' },
      keyring.available
        ? (keyring.message || 'The password is kept in the system keyring, not in the workspace.')
        : keyring.message);
    const error = formError('mail-error');
    const save = h('button', { type: 'submit', class: 'button primary', 'data-testid': 'mail-save' }, 'Save');
    const remove = smtp ? h('button', { type: 'button', class: 'button danger-outline', 'data-testid': 'mail-remove' }, 'Remove mail server') : null;

    // A port still at the default of one security setting follows the next.
    security.addEventListener('change', () => {
      if (SECURITY.some((s) => String(s.port) === port.value.trim()) || !port.value.trim()) {
        port.value = String(SECURITY.find((s) => s.key === security.value).port);
      }
    });

    const form = h('form', { class: 'admin-form', novalidate: true },
      h('div', { class: 'field-row host-row' }, field('Server', host), field('Port', port)),
      field('Security', security),
      h('div', { class: 'field-row' },
        field('Username', username, 'Leave empty when the server needs no sign-in.'),
        h('div', { class: 'field' },
          h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'Password'), password),
          keyringLine,
          settings.passwordStored && keyring.available && h('label', { class: 'inline-check' }, forget, ' Remove the stored password'))),
      error.el,
      h('div', { class: 'form-actions spread' }, remove || h('span'), save));

    const busy = (on) => { save.disabled = on; if (remove) remove.disabled = on; };

    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      error.clear();
      const portNumber = Number(port.value);
      if (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535) {
        error.show('Enter the port as a whole number from 1 to 65535.');
        port.focus();
        return;
      }
      const smtpValue = {
        host: host.value.trim(),
        port: portNumber,
        security: security.value,
        username: username.value.trim() || null,
      };
      // null keeps the stored password, "" removes it.
      let pass = null;
      if (keyring.available && forget.checked) pass = '';
      else if (keyring.available && password.value) pass = password.value;
      busy(true);
      try {
        const next = await api.saveMailSettings(smtpValue, pass);
        if (gone) return;
        render(next);
        showToast({ message: 'Mail settings saved.' });
      } catch (err) {
        if (gone) return;
        error.show(err.message);
        busy(false);
      }
    });

    remove?.addEventListener('click', async () => {
      error.clear();
      busy(true);
      try {
        const next = await api.saveMailSettings(null, settings.passwordStored && keyring.available ? '' : null);
        if (gone) return;
        render(next);
        showToast({ message: 'Mail server removed: mail goes to the Outbox.' });
      } catch (err) {
        if (gone) return;
        error.show(err.message);
        busy(false);
      }
    });

    fill(section,
      h('header', { class: 'page-header' }, h('h1', { class: 'page-title' }, 'Mail')),
      h('div', { class: 'card admin-card' },
        h('h2', { class: 'card-title' }, 'Mail server'),
        smtp
          ? h('p', { class: 'muted', 'data-testid': 'mail-current' }, `Roster sends mail through ${smtp.host}:${smtp.port}.`)
          : h('p', { class: 'note', 'data-testid': 'mail-none' }, NO_SERVER, ' ', h('a', { href: '#/admin/outbox' }, 'Open the Outbox')),
        form),
      testCard);
  }

  load();
  return () => { gone = true; };
}

function testMailCard(actor) {
  const to = input('mail-test-to', { type: 'email', value: actor?.email ?? '', autocomplete: 'off', 'aria-label': 'To' });
  const send = h('button', { type: 'submit', class: 'button', 'data-testid': 'mail-test-send' }, 'Send test mail');
  const result = h('p', { class: 'test-result', role: 'status', 'data-testid': 'mail-test-result', hidden: true });
  const form = h('form', { class: 'inline-form', novalidate: true }, field('To', to), send);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const address = to.value.trim();
    if (!address) { show('failed', 'Enter the address to send the test mail to.'); to.focus(); return; }
    send.disabled = true;
    send.textContent = 'Sending…';
    result.hidden = true;
    try {
      const item = await api.sendTestMail(address);
      show(item.status, describe(item), item.status === 'outbox' || item.status === 'failed' || item.status === 'pending');
    } catch (err) {
      show('failed', err.message);
    } finally {
      send.disabled = false;
      send.textContent = 'Send test mail';
    }
  });

  function show(state, text, outboxLink = false) {
    result.className = `test-result result-${state}`;
    result.dataset.status = state;
    fill(result, text, outboxLink && [' ', h('a', { href: '#/admin/outbox', 'data-testid': 'mail-test-outbox' }, 'Open the Outbox')]);
    result.hidden = false;
  }

  return h('div', { class: 'card admin-card' },
    h('h2', { class: 'card-title' }, 'Send test mail'),
    h('p', { class: 'muted' }, 'Check the settings above by sending yourself a mail.'),
    form, result);
}

function describe(item) {
  switch (item.status) {
    case 'sent': return `Sent to ${item.to}.`;
    case 'outbox': return 'No mail server is set: the mail is in the Outbox.';
    case 'pending': return `Not sent yet: Roster will try again.${item.lastError ? ` Last error: ${item.lastError}` : ''}`;
    case 'failed': return `Could not send the mail: ${item.lastError || 'the server refused it.'}`;
    default: return `Status: ${item.status}`;
  }
}
