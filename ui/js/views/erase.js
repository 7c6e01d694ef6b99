// Delete user and all data, as the help article describes: only for people who
// are deactivated already (from their profile, Manage > "Delete user and all
// data", or from the Directory, one or many). The screen recommends keeping
// them deactivated instead, shows what erase_preview says will be erased and
// what stays, offers an export of a single person's data first, and asks the
// admin to type a confirmation. The Rust side then opens a native warning
// dialog that a script in the webview cannot skip. Nothing about what is erased
// is worked out here: every number comes from erase_preview.
import * as api from '../api.js';
import { h, fill, profileHref } from '../components/dom.js';
import { showToast, showError } from '../components/toast.js';
import { announceErase } from '../changes.js';
import { plural } from '../format.js';

const LIST_LIMIT = 50; // names listed before "and N more"

// One row per key of EraseCounts, in this order.
const ERASED = [
  { key: 'reviewsAbout', label: 'Reviews about them' },
  { key: 'objectives', label: 'Objectives' },
  { key: 'feedbackReceived', label: 'Feedback they received' },
  { key: 'oneOnOnes', label: '1:1 meetings and their notes' },
  { key: 'privateNotes', label: 'Private 1:1 notes they wrote' },
  { key: 'aliases', label: 'Old emails that found them' },
  { key: 'sessions', label: 'Sessions' },
  { key: 'passwordCodes', label: 'Password codes' },
  { key: 'mail', label: 'Mails to them' },
  { key: 'auditEntries', label: 'Audit entries naming them (rewritten to “Deleted user”)' },
];

// One row per key of Stays.
const STAYS = [
  { key: 'reviewsWritten', label: 'Reviews they wrote, credited to “Deleted user”' },
  { key: 'feedbackGiven', label: 'Feedback they gave, credited to “Deleted user”' },
  { key: 'directReports', label: 'Direct reports, who lose their manager link' },
];

const RECOMMENDATION = 'We recommend deactivation: a deactivated person keeps their history and does not count toward your seats. '
  + 'Deleting erases them for good.';

// Refusals after which this screen has nothing left to offer: someone is
// active again, or already gone.
const FATAL = new Set(['precondition_failed', 'not_found']);

const number = (v) => Number(v) || 0;

function countRows(defs, counts, testid) {
  return defs.map((c) => {
    const n = number(counts?.[c.key]);
    return h('tr', { class: n ? '' : 'zero', 'data-testid': testid, 'data-kind': c.key, 'data-count': n },
      h('th', { scope: 'row' }, c.label),
      h('td', { class: 'num' }, String(n)));
  });
}

export function mountErase(container, { ids }) {
  let alive = true;
  let preview = null;
  let busy = false; // waiting for the native warning dialog
  let what = null; // "NAME" or "N people", from the preview
  const several = ids.length > 1;

  // ── Header ───────────────────────────────────────────────────────────────
  const back = h('a', {
    class: 'back-link', 'data-testid': 'erase-back',
    href: several ? '#/directory' : profileHref(ids[0]),
  }, several ? '← Directory' : '← Profile');
  const title = h('h1', { class: 'page-title', 'data-testid': 'erase-title' },
    several ? `Delete ${ids.length} people and all data` : 'Delete user and all data');

  const recommendation = h('p', { class: 'erase-recommendation', role: 'note', 'data-testid': 'erase-recommendation' }, RECOMMENDATION);

  // One place for every refusal and failure; it moves next to the Delete
  // button once there is a preview, so it shows where the person is looking.
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'erase-error', hidden: true });
  const showErr = (message) => { error.textContent = message; error.hidden = false; };
  const hideErr = () => { error.hidden = true; error.textContent = ''; };

  const slot = h('div', { class: 'erase-slot' },
    h('p', { class: 'erase-loading', 'data-testid': 'erase-loading' }, 'Looking at what would be erased…'));

  const root = h('section', { class: 'erase', 'data-testid': 'erase', 'data-ids': ids.join(',') },
    back,
    h('header', { class: 'erase-header' }, title),
    recommendation,
    slot);
  fill(container, root);

  // ── The confirmation ─────────────────────────────────────────────────────
  const input = h('input', {
    type: 'text', class: 'input erase-input', id: 'erase-confirm-input', 'data-testid': 'erase-confirm-input',
    autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off',
  });
  const confirm = h('button', { type: 'button', class: 'button danger', 'data-testid': 'erase-confirm', disabled: true, onclick: () => confirmErase() });
  const waiting = h('p', { class: 'erase-waiting', role: 'status', 'data-testid': 'erase-waiting', hidden: true }, 'Confirm in the dialog…');
  const cancelled = h('p', { class: 'erase-cancelled', role: 'status', 'data-testid': 'erase-cancelled', hidden: true }, 'Nothing was deleted.');
  const exportButton = h('button', { type: 'button', class: 'button', 'data-testid': 'erase-export', onclick: () => exportFirst() },
    'Export this person\'s data first');

  const typed = () => input.value.trim();
  const matches = () => preview != null && typed() === preview.confirmation;
  const updateConfirm = () => { confirm.disabled = busy || !matches(); };
  input.addEventListener('input', () => { cancelled.hidden = true; updateConfirm(); });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); if (!confirm.disabled) confirmErase(); }
  });

  // ── Preview ──────────────────────────────────────────────────────────────
  async function load() {
    try {
      const result = await api.erasePreview(ids);
      if (!alive) return;
      preview = { ...result, confirmation: String(result.confirmation ?? '') };
      render();
    } catch (err) {
      if (!alive) return;
      refuse(err);
    }
  }

  // No preview, no Delete button: only the reason and the way back.
  function refuse(err) {
    preview = null;
    if (err.code === 'not_found' || several) {
      back.href = '#/directory';
      back.textContent = '← Directory';
    }
    showErr(err.message);
    fill(slot, error);
  }

  function render() {
    const people = preview.people ?? [];
    const one = people.length === 1;
    const name = one ? people[0].name : null;
    what = one ? name : `${people.length} people`;
    title.textContent = `Delete ${what} and all data`;
    if (one && !several) back.textContent = `← ${name}`;

    const erased = ERASED.reduce((sum, c) => sum + number(preview.counts?.[c.key]), 0);
    const erasedCard = h('section', { class: 'card erase-card', 'aria-labelledby': 'erase-counts-title' },
      h('h2', { class: 'card-title', id: 'erase-counts-title' }, 'What will be erased'),
      h('table', { class: 'erase-counts', 'data-testid': 'erase-counts' },
        h('tbody', null, countRows(ERASED, preview.counts, 'erase-count'))),
      h('p', { class: 'erase-total', 'data-testid': 'erase-total', 'data-count': erased },
        `${plural(erased, 'record is', 'records are')} erased for good, with ${one ? 'their' : 'each person’s'} profile.`));

    const staysCard = h('section', { class: 'card erase-card', 'aria-labelledby': 'erase-stays-title' },
      h('h2', { class: 'card-title', id: 'erase-stays-title' }, 'What stays'),
      h('table', { class: 'erase-counts', 'data-testid': 'erase-stays-table' },
        h('tbody', null, countRows(STAYS, preview.stays, 'erase-stays'))),
      h('p', { class: 'erase-card-hint' }, 'What they wrote on other people’s records stays, without their name.'));

    const exportCard = one && h('section', { class: 'card erase-export', 'aria-label': 'Export' },
      h('p', { class: 'erase-export-text' },
        `Keep a copy before deleting: a JSON file with ${name}’s profile and history.`),
      exportButton);

    const label = one
      ? ['To confirm, type ', h('strong', { class: 'erase-phrase', 'data-testid': 'erase-confirmation' }, preview.confirmation)]
      : ['To confirm, type the number of people, ', h('strong', { class: 'erase-phrase', 'data-testid': 'erase-confirmation' }, preview.confirmation)];

    fill(confirm, h('span', { class: 'button-label' }, `Delete ${what} and all data`));
    confirm.title = `Delete ${what} and all data`;
    input.value = '';
    input.setAttribute('aria-describedby', 'erase-actions-text');
    waiting.hidden = true;
    cancelled.hidden = true;
    hideErr();
    updateConfirm();

    fill(slot, h('section', { class: 'erase-preview', 'data-testid': 'erase-preview' },
      !one && h('section', { class: 'card erase-people', 'data-testid': 'erase-people', 'aria-labelledby': 'erase-people-title' },
        h('h2', { class: 'card-title', id: 'erase-people-title' }, `${people.length} people`),
        h('ul', { class: 'name-list erase-names' },
          people.slice(0, LIST_LIMIT).map((p) => h('li', { 'data-testid': 'erase-person', 'data-id': p.id }, p.name)),
          people.length > LIST_LIMIT && h('li', { class: 'muted' }, `and ${people.length - LIST_LIMIT} more`))),
      h('div', { class: 'erase-grid' }, erasedCard, staysCard),
      exportCard,
      error,
      h('div', { class: 'erase-actions', 'data-testid': 'erase-actions' },
        h('label', { class: 'field erase-field', for: 'erase-confirm-input' },
          h('span', { class: 'field-label', 'data-testid': 'erase-confirm-label' }, label),
          input),
        h('p', { class: 'erase-actions-text', id: 'erase-actions-text' },
          'Deleting cannot be undone: nobody, not even support, can bring the data back.'),
        h('div', { class: 'erase-actions-buttons' }, waiting, cancelled, confirm))));
    input.focus();
  }

  // ── Export ───────────────────────────────────────────────────────────────
  async function exportFirst() {
    if (busy || !preview || preview.people?.length !== 1) return;
    exportButton.disabled = true;
    try {
      const saved = await api.exportPerson(preview.people[0].id);
      if (saved?.path) showToast({ message: `Saved to ${saved.path}` });
    } catch (err) {
      showError(err.message);
    } finally {
      exportButton.disabled = busy;
    }
  }

  // ── Delete ───────────────────────────────────────────────────────────────
  function setBusy(on) {
    busy = on;
    input.disabled = on;
    exportButton.disabled = on;
    waiting.hidden = !on;
    root.classList.toggle('busy', on);
    updateConfirm();
  }

  async function confirmErase() {
    if (busy || !matches()) return;
    const confirmation = typed();
    hideErr();
    cancelled.hidden = true;
    setBusy(true);
    try {
      const result = await api.erase(ids, confirmation);
      if (result == null) { // cancelled in the native dialog: nothing changed
        if (!alive) return;
        setBusy(false);
        cancelled.hidden = false;
        confirm.focus();
        return;
      }
      announceErase({ ...result, summary: result.summary || `Deleted ${what} and all their data.` });
      if (alive) location.hash = '#/directory';
    } catch (err) {
      if (!alive) { showError(err.message); return; }
      setBusy(false);
      if (FATAL.has(err.code)) refuse(err);
      else showErr(err.message);
    }
  }

  load();

  return () => { alive = false; };
}
