// "Send Password Mail": mails an active person a one-time code (valid 24 hours)
// to set a password on the sign-in screen. Offered on the profile's Manage
// menu, the directory row menu and the toast after reactivating one person.
import * as api from './api.js';
import { showToast, showError } from './components/toast.js';

export async function sendPasswordMail(id) {
  try {
    const result = await api.sendPasswordMail(id);
    let message = result.summary || `Password mail for ${result.to}.`;
    if (result.status === 'outbox' && !/outbox/i.test(message)) {
      message += ' No mail server is set: the mail is in the Outbox.';
    }
    showToast({
      message,
      action: result.status === 'outbox' || result.status === 'failed'
        ? { label: 'Open Outbox', testid: 'toast-open-outbox', run: () => { location.hash = '#/admin/outbox'; } }
        : null,
    });
  } catch (err) {
    showError(err.message);
  }
}
