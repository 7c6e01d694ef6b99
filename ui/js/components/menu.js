// Drop-down menus (row ⋯, view picker, Manage). One open at a time; it closes on
// Escape, on a click outside, on scroll or resize, and after an item is chosen.
import { h } from './dom.js';

let open = null;

export function closeMenu({ restoreFocus = false } = {}) {
  if (!open) return;
  const { el, anchor, cleanup } = open;
  open = null;
  cleanup();
  el.remove();
  anchor.setAttribute('aria-expanded', 'false');
  if (restoreFocus && anchor.isConnected) anchor.focus();
}

export const isMenuOpenFor = (anchor) => open?.anchor === anchor;

// items: [{ label, testid, onSelect, hint, checked, danger, disabled, detail, title }]
// A disabled item stays in the menu with the reason why: `detail` is a muted
// second line under the label, `title` the same on hover.
export function toggleMenu(anchor, items, { label = 'Actions', align = 'right' } = {}) {
  if (isMenuOpenFor(anchor)) { closeMenu({ restoreFocus: true }); return; }
  closeMenu();

  const buttons = items.map((item) => h('button', {
    type: 'button',
    role: item.checked === undefined ? 'menuitem' : 'menuitemradio',
    'aria-checked': item.checked === undefined ? null : String(item.checked),
    class: `menu-item${item.danger ? ' danger' : ''}${item.checked ? ' checked' : ''}${item.disabled ? ' disabled' : ''}`,
    'data-testid': item.testid,
    disabled: !!item.disabled,
    'aria-disabled': item.disabled ? 'true' : null,
    title: item.title ?? null,
    onclick: () => { if (item.disabled) return; closeMenu({ restoreFocus: true }); item.onSelect(); },
  },
  item.detail != null
    ? h('span', { class: 'menu-text' },
      h('span', { class: 'menu-label' }, item.label),
      h('span', { class: 'menu-detail' }, item.detail))
    : h('span', { class: 'menu-label' }, item.label),
  item.hint != null && h('span', { class: 'menu-hint' }, item.hint)));

  const el = h('div', { class: 'menu', role: 'menu', 'aria-label': label }, buttons);
  document.body.append(el);
  place(el, anchor, align);
  anchor.setAttribute('aria-expanded', 'true');

  const onPointer = (e) => {
    if (!el.contains(e.target) && !anchor.contains(e.target)) closeMenu();
  };
  const onKey = (e) => {
    if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); closeMenu({ restoreFocus: true }); return; }
    if (e.key === 'Tab') { closeMenu(); return; }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const enabled = buttons.filter((b) => !b.disabled);
    const i = enabled.indexOf(document.activeElement);
    const step = e.key === 'ArrowDown' ? 1 : -1;
    enabled[(i + step + enabled.length) % enabled.length]?.focus();
  };
  // Only a scroll that moves the anchor closes the menu: the list refreshing under the toolbar after a
  // change leaves the toolbar's menus open.
  const onScroll = (e) => { if (!el.contains(e.target) && e.target.contains?.(anchor)) closeMenu(); };
  const onResize = () => closeMenu();
  document.addEventListener('mousedown', onPointer, true);
  document.addEventListener('keydown', onKey, true);
  document.addEventListener('scroll', onScroll, true);
  window.addEventListener('resize', onResize);
  window.addEventListener('hashchange', onResize);

  open = {
    el, anchor,
    cleanup() {
      document.removeEventListener('mousedown', onPointer, true);
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('scroll', onScroll, true);
      window.removeEventListener('resize', onResize);
      window.removeEventListener('hashchange', onResize);
    },
  };
  buttons.find((b) => !b.disabled)?.focus();
}

// Below the anchor, aligned to its right (or left) edge; flipped above when
// there is no room below, and kept inside the window.
function place(el, anchor, align) {
  const r = anchor.getBoundingClientRect();
  const w = el.offsetWidth;
  const ht = el.offsetHeight;
  let left = align === 'right' ? r.right - w : r.left;
  left = Math.max(8, Math.min(left, window.innerWidth - w - 8));
  let top = r.bottom + 4;
  if (top + ht > window.innerHeight - 8 && r.top - ht - 4 > 8) top = r.top - ht - 4;
  el.style.left = `${Math.round(left)}px`;
  el.style.top = `${Math.round(top)}px`;
}
