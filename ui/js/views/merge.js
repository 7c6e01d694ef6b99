// Merge one account into another, as the help article describes: from the
// profile of the person to merge (Manage > "Merge into other users"), look up
// the account to keep in the right-hand search field, review what will move,
// then Merge. The Rust side asks for a native confirmation; afterwards the
// source is deactivated with a link to the destination and no longer counts
// toward the seats. Everything shown here comes from merge_preview, which
// changes nothing; nothing about what moves is worked out in the UI.
import * as api from '../api.js';
import { h, fill, profileHref } from '../components/dom.js';
import { showError } from '../components/toast.js';
import { announceMerge } from '../changes.js';
import { debounce } from '../debounce.js';
import { initials, plural } from '../format.js';

const RESULTS = 8;

// One row per key of Counts, in this order.
const COUNTS = [
  { key: 'reviewsAbout', label: (name) => `Reviews about ${name}` },
  { key: 'reviewsWritten', label: (name) => `Reviews ${name} wrote` },
  { key: 'objectives', label: () => 'Objectives' },
  { key: 'feedbackReceived', label: () => 'Feedback received' },
  { key: 'feedbackGiven', label: () => 'Feedback given' },
  { key: 'oneOnOnes', label: () => '1:1 meetings' },
  { key: 'privateNotes', label: () => 'Private 1:1 notes' },
  { key: 'directReports', label: () => 'Direct reports' },
  { key: 'auditEntries', label: () => 'Audit history entries' },
];

const statusText = (side) => {
  if (side.mergedInto) return `Merged into ${side.mergedInto.name}`;
  return side.status === 'deactivated' ? 'Deactivated' : 'Active';
};
const isInactive = (side) => side.status === 'deactivated' || !!side.mergedInto;

const statusBadge = (side, testid) => h('span', {
  class: `badge ${side.mergedInto || side.status === 'deactivated' ? 'muted-badge' : 'ok-badge'}`, 'data-testid': testid,
}, statusText(side));

// The profile's person, in the shape of merge_preview's Side.
const sideFromPerson = (p) => ({
  id: p.id, name: p.name, email: p.email, title: p.title, department: p.department,
  status: p.status, mergedInto: p.merged?.into ?? p.mergedInto ?? null,
});
const sideFromRow = (r) => ({
  id: r.id, name: r.name, email: r.email, title: r.title, department: r.department,
  status: r.status, mergedInto: r.mergedInto ?? null,
});

// "a", "a and b", "a, b and c"
function listing(items) {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const value = (v) => (v == null || v === '' ? h('span', { class: 'muted' }, '—') : String(v));

function personBlock(side, prefix) {
  const sub = [side.title, side.department].filter(Boolean).join(' · ');
  return h('div', { class: `merge-person${isInactive(side) ? ' inactive' : ''}` },
    h('div', { class: 'avatar', 'aria-hidden': 'true' }, initials(side.name)),
    h('div', { class: 'merge-person-text' },
      h('p', { class: 'merge-person-name', 'data-testid': `${prefix}-name` }, side.name),
      h('p', { class: 'merge-person-email', 'data-testid': `${prefix}-email` }, side.email),
      sub && h('p', { class: 'merge-person-role', 'data-testid': `${prefix}-role` }, sub),
      h('p', { class: 'merge-person-status' }, statusBadge(side, `${prefix}-status`))));
}

export function mountMerge(container, { id }) {
  let alive = true;
  let source = null; // Side
  let destination = null; // Side: the picked row, then merge_preview's
  let preview = null;
  let searchSeq = 0;
  let previewSeq = 0;
  let busy = false; // waiting for the native confirmation

  // ── Header ───────────────────────────────────────────────────────────────
  const back = h('a', { class: 'back-link', href: profileHref(id), 'data-testid': 'merge-back' }, '← Profile');
  const title = h('h1', { class: 'page-title', 'data-testid': 'merge-title' }, 'Merge into another account');
  const lead = h('p', { class: 'merge-lead' });

  // One place for every refusal and failure; it moves next to the Merge
  // button once there is a preview, so it shows where the person is looking.
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'merge-error', hidden: true });
  const showErr = (message) => { error.textContent = message; error.hidden = false; };
  const hideErr = () => { error.hidden = true; error.textContent = ''; };

  // ── Left: the account being merged ───────────────────────────────────────
  const sourceBody = h('div', { class: 'merge-side-body' }, h('p', { class: 'muted' }, 'Loading…'));
  const sourceCard = h('section', { class: 'card merge-side', 'data-testid': 'merge-source', 'aria-label': 'The account to merge' },
    h('h2', { class: 'merge-side-title' }, 'Merge this account'), sourceBody);

  // ── Right: search for the account to keep, or the one picked ─────────────
  const search = h('input', {
    type: 'search', class: 'input search', 'data-testid': 'merge-search', placeholder: 'Search the account to keep',
    'aria-label': 'Search the account to keep', autocomplete: 'off',
  });
  const results = h('div', { class: 'merge-results', role: 'listbox', 'aria-label': 'Accounts', 'data-testid': 'merge-results' });
  const more = h('p', { class: 'merge-more', hidden: true });
  const picker = h('div', { class: 'merge-picker' }, search, results, more);
  const targetBody = h('div', { class: 'merge-side-body' }, picker);
  const targetCard = h('section', { class: 'card merge-side', 'data-testid': 'merge-target', 'aria-label': 'The account to keep' },
    h('h2', { class: 'merge-side-title' }, 'Into the account to keep'), targetBody);

  const previewSlot = h('div', { class: 'merge-preview-slot' }, error);

  const root = h('section', { class: 'merge', 'data-testid': 'merge', 'data-id': id },
    back,
    h('header', { class: 'merge-header' }, title, lead),
    h('div', { class: 'merge-columns' },
      sourceCard,
      h('div', { class: 'merge-arrow', 'aria-hidden': 'true' }, '→'),
      targetCard),
    previewSlot);
  fill(container, root);

  // ── Source ───────────────────────────────────────────────────────────────
  function renderSource() {
    title.textContent = `Merge ${source.name} into another account`;
    back.textContent = `← ${source.name}`;
    lead.textContent = `${source.name}’s reviews, objectives, feedback, 1:1 meetings and direct reports move to the account you keep. `
      + `${source.name}’s account is then deactivated, with a link to it, and no longer counts toward your seats.`;
    fill(sourceBody, personBlock(source, 'merge-source'));
  }

  async function loadSource() {
    try {
      const { person } = await api.personProfile(id);
      if (!alive) return;
      // A preview that arrived first already has the source, as fresh.
      if (!source) source = sideFromPerson(person);
      renderSource();
      if (source.mergedInto && !preview) {
        showErr(`${source.name} is already merged into ${source.mergedInto.name}: a merged account cannot be merged again.`);
      }
    } catch (err) {
      if (!alive) return;
      if (err.code === 'not_found') {
        sourceCard.hidden = true;
        targetCard.hidden = true;
        root.querySelector('.merge-arrow').hidden = true;
        back.href = '#/directory';
        back.textContent = '← Directory';
      } else {
        fill(sourceBody, h('p', { class: 'muted' }, 'Could not load this account.'));
      }
      showErr(err.message);
    }
  }

  // ── Search ───────────────────────────────────────────────────────────────
  async function find(text) {
    const mine = ++searchSeq;
    try {
      const page = await api.directoryPage({ view: 'all', search: text, sort: 'name', desc: false }, 0, RESULTS);
      if (!alive || mine !== searchSeq) return;
      fill(results, page.rows.length
        ? page.rows.map(candidate)
        : h('p', { class: 'merge-results-empty', 'data-testid': 'merge-no-results' }, text ? `Nobody matches “${text}”` : 'Nobody in the directory yet'));
      const rest = (page.total ?? page.rows.length) - page.rows.length;
      more.hidden = rest <= 0;
      more.textContent = rest > 0 ? `${plural(rest, 'more account matches', 'more accounts match')}: type more of the name or email.` : '';
    } catch (err) {
      if (!alive || mine !== searchSeq) return;
      fill(results, h('p', { class: 'form-error' }, err.message));
      more.hidden = true;
    }
  }

  // The source itself and accounts merged away cannot be picked; they are
  // listed anyway, greyed, with the reason, so nobody wonders where they went.
  function candidate(row) {
    const side = sideFromRow(row);
    const reason = row.id === id ? 'This is the account you are merging'
      : side.mergedInto ? 'Already merged away: it cannot receive a merge'
        : null;
    const role = [side.title, side.department].filter(Boolean).join(' · ');
    return h('button', {
      type: 'button', class: `merge-candidate${reason ? ' disabled' : ''}${isInactive(side) ? ' inactive' : ''}`,
      role: 'option', 'aria-selected': 'false', 'aria-disabled': String(!!reason), disabled: !!reason,
      'data-testid': 'merge-candidate', 'data-id': row.id, title: reason || '',
      onclick: () => { if (!reason) pick(side); },
    },
    h('span', { class: 'candidate-main' },
      h('span', { class: 'candidate-name' }, side.name),
      h('span', { class: 'candidate-email' }, side.email)),
    h('span', { class: 'candidate-meta' },
      role && h('span', { class: 'candidate-role' }, role),
      statusBadge(side, 'merge-candidate-status')),
    reason && h('span', { class: 'candidate-reason', 'data-testid': 'merge-candidate-reason' }, reason));
  }

  const findSoon = debounce((text) => find(text), 150);
  search.addEventListener('input', () => findSoon(search.value.trim()));
  const pickable = () => [...results.querySelectorAll('.merge-candidate')].filter((b) => !b.disabled);
  search.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') {
      const first = pickable()[0];
      if (first) { e.preventDefault(); first.focus(); }
    } else if (e.key === 'Enter') {
      // Enter picks the one account the search leaves.
      const open = pickable();
      if (open.length === 1) { e.preventDefault(); open[0].click(); }
    } else if (e.key === 'Escape' && search.value) {
      e.preventDefault();
      search.value = '';
      findSoon.cancel();
      find('');
    }
  });
  results.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const items = pickable();
    const i = items.indexOf(document.activeElement);
    if (i < 0) return;
    e.preventDefault();
    if (e.key === 'ArrowUp' && i === 0) search.focus();
    else items[Math.min(items.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1))].focus();
  });

  // ── Destination ──────────────────────────────────────────────────────────
  const change = h('button', { type: 'button', class: 'button', 'data-testid': 'merge-change', onclick: () => unpick() }, 'Change');

  function renderTarget() {
    if (!destination) { fill(targetBody, picker); return; }
    fill(targetBody, h('div', { class: 'merge-destination', 'data-testid': 'merge-destination', 'data-id': destination.id },
      personBlock(destination, 'merge-destination'),
      h('div', { class: 'merge-destination-actions' },
        h('span', { class: 'badge kept-badge' }, 'Kept'),
        change)));
  }

  function pick(side) {
    if (busy) return;
    destination = side;
    preview = null;
    renderTarget();
    change.focus();
    loadPreview();
  }

  function unpick() {
    if (busy) return;
    destination = null;
    preview = null;
    previewSeq++; // a preview still on its way is for the old pick
    hideErr();
    fill(previewSlot, error);
    if (source?.mergedInto) showErr(`${source.name} is already merged into ${source.mergedInto.name}: a merged account cannot be merged again.`);
    renderTarget();
    search.focus();
  }

  // ── Preview ──────────────────────────────────────────────────────────────
  async function loadPreview() {
    const mine = ++previewSeq;
    hideErr();
    fill(previewSlot, error, h('p', { class: 'merge-loading', 'data-testid': 'merge-preview-loading' }, 'Looking at what would move…'));
    try {
      const result = await api.mergePreview(id, destination.id);
      if (!alive || mine !== previewSeq) return;
      preview = result;
      source = result.source;
      destination = result.destination;
      const focused = document.activeElement === change; // redrawing moves the button
      renderSource();
      renderTarget();
      if (focused) change.focus();
      renderPreview();
    } catch (err) {
      if (!alive || mine !== previewSeq) return;
      fill(previewSlot, error);
      showErr(err.message);
    }
  }

  const waiting = h('p', { class: 'merge-waiting', role: 'status', 'data-testid': 'merge-waiting', hidden: true }, 'Confirm in the dialog…');
  const cancelled = h('p', { class: 'merge-cancelled', role: 'status', 'data-testid': 'merge-cancelled', hidden: true }, 'Nothing was changed.');
  const confirm = h('button', { type: 'button', class: 'button danger', 'data-testid': 'merge-confirm', onclick: () => confirmMerge() });
  let copies = []; // the "Use SOURCE's value" checkboxes

  function renderPreview() {
    const { counts, fields = [], conflicts = [], aliases = [] } = preview;
    const src = source.name;
    const dest = destination.name;

    // What moves
    const total = COUNTS.reduce((sum, c) => sum + (Number(counts?.[c.key]) || 0), 0);
    const countsCard = h('section', { class: 'card merge-card', 'aria-labelledby': 'merge-counts-title' },
      h('h2', { class: 'card-title', id: 'merge-counts-title' }, `What moves to ${dest}`),
      h('table', { class: 'merge-counts', 'data-testid': 'merge-counts' },
        h('tbody', null, COUNTS.map((c) => {
          const n = Number(counts?.[c.key]) || 0;
          return h('tr', { class: n ? '' : 'zero', 'data-testid': 'merge-count', 'data-kind': c.key, 'data-count': n },
            h('th', { scope: 'row' }, c.label(src)),
            h('td', { class: 'num' }, String(n)));
        }))),
      h('p', { class: 'merge-total', 'data-testid': 'merge-total', 'data-count': total },
        `${plural(total, 'record moves', 'records move')} to ${dest}`));

    // Profile fields side by side
    copies = [];
    const fieldRows = fields.map((f) => {
      const destCell = h('td', { class: 'merge-value dest' }, value(f.destination));
      let copy = null;
      if (f.offered) {
        copy = h('input', { type: 'checkbox', 'data-testid': 'merge-field-copy', 'data-key': f.key, 'aria-label': `Use ${src}'s ${f.label}` });
        copies.push(copy);
      }
      const row = h('tr', {
        class: `merge-field${f.differs ? ' differs' : ''}${f.offered ? ' offered' : ''}`, 'data-testid': 'merge-field', 'data-key': f.key,
        'data-differs': String(!!f.differs),
      },
      h('th', { scope: 'row' }, f.label),
      h('td', { class: 'merge-value source' }, value(f.source),
        copy && h('label', { class: 'inline-check merge-copy' }, copy, `Use ${src}'s value`)),
      destCell);
      copy?.addEventListener('change', () => {
        row.classList.toggle('copying', copy.checked);
        fill(destCell, copy.checked
          ? [String(f.source), h('span', { class: 'merge-copied' }, `from ${src}`)]
          : value(f.destination));
      });
      return row;
    });
    const fieldsCard = h('section', { class: 'card merge-card', 'aria-labelledby': 'merge-fields-title' },
      h('h2', { class: 'card-title', id: 'merge-fields-title' }, 'Profile fields'),
      h('p', { class: 'merge-card-hint' }, `${dest}’s values are kept. Where ${dest} has none, you can use ${src}’s.`),
      h('table', { class: 'merge-fields', 'data-testid': 'merge-fields' },
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, 'Field'),
          h('th', { scope: 'col' }, src),
          h('th', { scope: 'col' }, `${dest} (kept)`))),
        h('tbody', null, fieldRows)));

    fill(confirm, h('span', { class: 'button-label' }, `Merge ${src} into ${dest}`));
    confirm.title = `Merge ${src} into ${dest}`;
    confirm.disabled = false;
    waiting.hidden = true;
    cancelled.hidden = true;

    // Warnings first: the Merge button stays in view below, so they must not
    // hide under the fold.
    fill(previewSlot, h('section', { class: 'merge-preview', 'data-testid': 'merge-preview' },
      conflicts.length > 0 && h('section', { class: 'merge-conflicts', 'data-testid': 'merge-conflicts', 'aria-labelledby': 'merge-conflicts-title' },
        h('h2', { class: 'merge-conflicts-title', id: 'merge-conflicts-title' }, 'Check before merging'),
        h('ul', null, conflicts.map((c) => h('li', { 'data-testid': 'merge-conflict', 'data-kind': c.kind }, c.message)))),
      h('div', { class: 'merge-grid' }, countsCard, fieldsCard),
      aliases.length > 0 && h('p', { class: 'merge-aliases', 'data-testid': 'merge-aliases' },
        `Afterwards, ${listing(aliases)} ${aliases.length === 1 ? 'finds' : 'find'} ${dest}.`),
      error,
      h('div', { class: 'merge-actions' },
        h('p', { class: 'merge-actions-text' },
          `${src}’s account will be deactivated and stop counting toward your seats. A merge cannot be undone.`),
        waiting, cancelled, confirm)));
  }

  function setBusy(on) {
    busy = on;
    confirm.disabled = on;
    change.disabled = on;
    search.disabled = on;
    for (const c of copies) c.disabled = on;
    waiting.hidden = !on;
    root.classList.toggle('busy', on);
  }

  async function confirmMerge() {
    if (busy || !preview || !destination) return;
    const fields = copies.filter((c) => c.checked).map((c) => c.dataset.key);
    const dest = destination;
    hideErr();
    cancelled.hidden = true;
    setBusy(true);
    try {
      const result = await api.merge(id, dest.id, fields);
      if (result == null) { // cancelled in the native dialog: nothing changed
        if (!alive) return;
        setBusy(false);
        cancelled.hidden = false;
        confirm.focus();
        return;
      }
      announceMerge({ ...result, summary: result.summary || `Merged ${source?.name ?? 'the account'} into ${dest.name}.` });
      if (alive) location.hash = profileHref(result.destinationId || dest.id);
    } catch (err) {
      if (!alive) { showError(err.message); return; }
      setBusy(false);
      showErr(err.message);
    }
  }

  loadSource();
  find('');
  search.focus();

  return () => {
    alive = false;
    findSoon.cancel();
    searchSeq++;
    previewSeq++;
  };
}
