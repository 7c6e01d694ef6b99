// One toast at a time (a new one replaces the old), plus a separate error banner
// so a failure never hides the Undo of the change before it.
import { h } from './dom.js';

const TOAST_MS = 8000;
const ERROR_MS = 12000;

let toast = null;
let toastTimer = 0;

export function hideToast() {
  clearTimeout(toastTimer);
  toast?.remove();
  toast = null;
}

// action: { label, testid, run } — run may return a promise; the button is
// disabled while it runs so a double click cannot undo twice. `actions` takes
// several of them (e.g. Undo and Send Password Mail after a reactivation).
export function showToast({ message, action = null, actions = [] }) {
  hideToast();
  const buttons = [action, ...actions].filter(Boolean).map((a) => {
    const button = h('button', {
      type: 'button', class: 'toast-action', 'data-testid': a.testid,
      onclick: async () => {
        button.disabled = true;
        try { await a.run(); } finally { button.disabled = false; }
      },
    }, a.label);
    return button;
  });
  const el = h('div', { class: 'toast', role: 'status', 'aria-live': 'polite', 'data-testid': 'toast' },
    h('span', { class: 'toast-message', 'data-testid': 'toast-message' }, message),
    buttons,
    h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss', onclick: hideToast }),
  );
  // Hovering keeps the toast (and its Undo) around for as long as it is needed.
  el.addEventListener('mouseenter', () => clearTimeout(toastTimer));
  el.addEventListener('mouseleave', () => { toastTimer = setTimeout(hideToast, TOAST_MS / 2); });
  document.body.append(el);
  toast = el;
  toastTimer = setTimeout(hideToast, TOAST_MS);
}

let banner = null;
let bannerTimer = 0;
let muted = false;

// While nobody is signed in, calls still in flight from the screen that was
// left fail with "Sign in first."; the sign-in screen says so once, so their
// banners are dropped.
export function muteErrors(on) {
  muted = on;
  if (on) hideError();
}

export function hideError() {
  clearTimeout(bannerTimer);
  banner?.remove();
  banner = null;
}

export function showError(message) {
  if (muted) return;
  hideError();
  banner = h('div', { class: 'error-banner', role: 'alert', 'data-testid': 'error-banner' },
    h('span', { class: 'error-banner-message', 'data-testid': 'error-message' }, message || 'Something went wrong.'),
    h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss', onclick: hideError }),
  );
  document.body.append(banner);
  bannerTimer = setTimeout(hideError, ERROR_MS);
}
