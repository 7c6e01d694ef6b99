// An HTML modal dialog: a backdrop, focus kept inside, Escape cancels, and the
// page behind it is inert so clicks and tab stops cannot reach it.
import { h } from './dom.js';

let seq = 0;
const FOCUSABLE = 'button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])';

// With onSubmit, body and footer sit in a <form>: Enter in a field submits it,
// and a footer button of type "submit" calls onSubmit.
export function openDialog({ testid, title, onCancel, onSubmit }) {
  const titleId = `dialog-title-${++seq}`;
  const heading = h('h2', { class: 'dialog-title', id: titleId }, title);
  const body = h('div', { class: 'dialog-body' });
  const footer = h('div', { class: 'dialog-footer' });
  const content = onSubmit
    ? h('form', {
      class: 'dialog-form', novalidate: true,
      onsubmit: (e) => { e.preventDefault(); onSubmit(); },
    }, body, footer)
    : [body, footer];
  const panel = h('div', {
    class: 'dialog', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId, 'data-testid': testid,
  }, heading, content);
  const backdrop = h('div', { class: 'dialog-backdrop' }, panel);

  const previousFocus = document.activeElement;
  const app = document.getElementById('app');

  const onKey = (e) => {
    if (e.key === 'Escape') {
      if (e.defaultPrevented) return;
      e.preventDefault();
      onCancel?.();
    } else if (e.key === 'Tab') {
      const items = [...panel.querySelectorAll(FOCUSABLE)].filter((x) => !x.disabled && x.offsetParent !== null);
      if (!items.length) return;
      const first = items[0];
      const last = items[items.length - 1];
      if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
      else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
    }
  };
  backdrop.addEventListener('keydown', onKey);

  document.body.append(backdrop);
  app?.setAttribute('inert', '');

  return {
    el: panel, body, footer,
    setTitle(text) { heading.textContent = text; },
    close() {
      backdrop.remove();
      if (!document.querySelector('.dialog-backdrop')) app?.removeAttribute('inert');
      if (previousFocus?.isConnected) previousFocus.focus();
    },
  };
}

// When the session ends, every open dialog goes with the screen behind it.
export function closeAllDialogs() {
  for (const el of document.querySelectorAll('.dialog-backdrop')) el.remove();
  document.getElementById('app')?.removeAttribute('inert');
}
