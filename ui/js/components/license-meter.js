// "220 of 250 seats used · 30 deactivated (not billed)" with a slim bar; turns
// to a warning when more people are active than the license has seats.
import * as api from '../api.js';
import { h } from './dom.js';
import { showError } from './toast.js';

export function createLicenseMeter() {
  const text = h('span', { class: 'license-text' });
  const fill = h('span', { class: 'license-fill' });
  const el = h('div', { class: 'license-meter', 'data-testid': 'license-meter', title: 'Deactivated people do not count toward your seats' },
    text, h('span', { class: 'license-bar', 'aria-hidden': 'true' }, fill));
  let seq = 0;

  async function refresh() {
    const mine = ++seq;
    try {
      const l = await api.license();
      if (mine !== seq) return;
      let line = `${l.active} of ${l.seats} seats used · ${l.deactivated} deactivated (not billed)`;
      if (l.overBy > 0) line += ` · ${l.overBy} over the license`;
      text.textContent = line;
      el.classList.toggle('over', l.overBy > 0);
      const ratio = l.seats > 0 ? Math.min(1, l.active / l.seats) : 1;
      fill.style.width = `${Math.round(ratio * 100)}%`;
    } catch (err) {
      if (mine === seq) showError(err.message);
    }
  }

  return { el, refresh };
}
