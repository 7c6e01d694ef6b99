// Admin > Imports: a manual import (pick a CSV or drop one on the window →
// its plan, which changes nothing → "Import"), the history of every run,
// automatic or manual, newest first, and a run's own page
// (#/admin/imports/<id>) with its plan, its row errors and — for a run held
// for review — Apply and Discard.
import * as api from '../api.js';
import { h, fill } from '../components/dom.js';
import { formError } from '../components/form.js';
import { showError } from '../components/toast.js';
import { formatDateTime, plural } from '../format.js';
import { planView } from './import-plan.js';
import { announceRun, countsSummary, outcomeBadge, runHref, triggerLabel } from './import-run.js';

const PAGE = 50;
const RUNNING_POLL_MS = 2000;

// A file dropped while a run's page was showing: the list page plans it.
let pendingDrop = null;

const baseName = (path) => String(path).split(/[\\/]/).filter(Boolean).pop() || String(path);
const firstCsv = (paths) => paths.find((p) => /\.csv$/i.test(String(p))) ?? null;
const DROP_NOT_CSV = 'Roster imports CSV files: drop a file whose name ends in .csv.';

export function mountImports(container, { sub = null } = {}) {
  return sub ? mountRun(container, sub) : mountImportList(container);
}

function busyLine(text, testid = 'import-progress') {
  return h('div', { class: 'import-busy', role: 'status', 'data-testid': testid },
    h('progress', { class: 'indeterminate', 'aria-label': text }),
    h('span', { class: 'import-busy-text' }, text));
}

// ── The list: import a file, and the history ─────────────────────────────────

function mountImportList(container) {
  let gone = false;
  let planSeq = 0;
  let importing = false;

  const pick = h('button', { type: 'button', class: 'button primary', 'data-testid': 'import-pick' }, 'Import a file…');
  const dropZone = h('div', { class: 'drop-zone', 'data-testid': 'import-drop-zone' },
    pick, h('span', { class: 'drop-hint' }, 'or drop a CSV file on this window'));
  const fileError = formError('import-file-error');
  const slot = h('div', { class: 'import-slot', 'data-testid': 'import-plan-slot' });

  // History
  let runs = [];
  let total = 0;
  let seq = 0;
  let pollTimer = 0;
  const tbody = h('tbody');
  const table = h('table', { class: 'audit-table history-table', 'data-testid': 'import-history' },
    h('thead', null, h('tr', null,
      h('th', { scope: 'col', class: 'col-when' }, 'When'),
      h('th', { scope: 'col', class: 'col-trigger' }, 'Trigger'),
      h('th', { scope: 'col', class: 'col-source' }, 'Source'),
      h('th', { scope: 'col', class: 'col-file' }, 'File'),
      h('th', { scope: 'col' }, 'Changes'),
      h('th', { scope: 'col', class: 'col-outcome' }, 'Outcome'))),
    tbody);
  const empty = h('p', { class: 'empty-note', 'data-testid': 'import-history-empty', hidden: true },
    'No imports yet. Import a file above, or set up the source in Integrations.');
  const countLine = h('p', { class: 'muted small', 'data-testid': 'import-history-count' });
  const more = h('button', { type: 'button', class: 'button', 'data-testid': 'import-history-more', hidden: true }, 'Load more');
  const refresh = h('button', { type: 'button', class: 'button', 'data-testid': 'import-history-refresh', onclick: () => load(true) }, 'Refresh');

  fill(container, h('section', { class: 'admin-page', 'data-testid': 'admin-imports' },
    h('header', { class: 'page-header' }, h('h1', { class: 'page-title' }, 'Imports')),
    h('div', { class: 'card admin-card import-card' },
      h('h2', { class: 'card-title' }, 'Import a file'),
      h('p', { class: 'muted' }, 'Roster first shows what the file would change — who is created, updated, deactivated or reactivated, and which rows have errors. Nothing changes until you click Import.'),
      dropZone,
      fileError.el,
      slot),
    h('div', { class: 'card-title-row' }, h('h2', { class: 'card-title' }, 'Import history'), refresh),
    h('div', { class: 'card table-card' }, table, empty),
    h('div', { class: 'audit-footer' }, countLine, more)));

  // ── Planning and importing one file ──

  function setBusy(on) {
    pick.disabled = on;
  }

  async function planFile(path, name = baseName(path)) {
    if (importing) { showError('An import is running: wait for it to finish.'); return; }
    const mine = ++planSeq;
    fileError.clear();
    setBusy(true);
    const cancel = h('button', { type: 'button', class: 'button', 'data-testid': 'plan-cancel' }, 'Cancel');
    cancel.addEventListener('click', () => { planSeq++; fill(slot); setBusy(false); });
    fill(slot, h('div', { class: 'import-busy-row' }, busyLine(`Reading ${name}…`), cancel));
    try {
      const plan = await api.planImportFile(path);
      if (gone || mine !== planSeq) return;
      showPlan(plan, path, name);
    } catch (err) {
      if (gone || mine !== planSeq) return;
      fill(slot);
      fileError.show(err.message);
    } finally {
      if (!gone && mine === planSeq) setBusy(false);
    }
  }

  function showPlan(plan, path, name) {
    const errors = Number(plan?.counts?.errors) || 0;
    const importButton = h('button', { type: 'button', class: 'button primary', 'data-testid': 'plan-import' }, 'Import');
    const cancel = h('button', { type: 'button', class: 'button', 'data-testid': 'plan-cancel' }, 'Cancel');
    cancel.addEventListener('click', () => { planSeq++; fill(slot); fileError.clear(); });
    importButton.addEventListener('click', () => importPlanned(plan, path, name));
    fill(slot, planView(plan, {
      fileName: name,
      actions: [
        h('p', { class: 'plan-actions-text muted small', 'data-testid': 'plan-import-note' }, errors
          ? `${plural(errors, 'row has an error and is', 'rows have errors and are')} left out; every other row is imported.`
          : 'Every change is written to the audit log, as made by the HRIS import.'),
        cancel, importButton],
    }));
  }

  async function importPlanned(plan, path, name) {
    const mine = ++planSeq;
    importing = true;
    fileError.clear();
    setBusy(true);
    fill(slot, busyLine(`Importing ${name}…`));
    try {
      const run = await api.importFile(path);
      if (gone) { announceRun(run); return; }
      announceRun(run, { link: false });
      location.hash = runHref(run.id);
    } catch (err) {
      if (gone) { showError(err.message); return; }
      if (mine === planSeq) showPlan(plan, path, name);
      fileError.show(err.message);
      load(true); // a failed run may be in the history
    } finally {
      importing = false;
      if (!gone) setBusy(false);
    }
  }

  pick.addEventListener('click', async () => {
    fileError.clear();
    pick.disabled = true;
    try {
      const file = await api.pickImportFile();
      if (gone) return;
      if (file?.path) planFile(file.path, file.name || baseName(file.path));
      else pick.disabled = false;
    } catch (err) {
      if (gone) return;
      pick.disabled = false;
      fileError.show(err.message);
    }
  });

  const stopDrop = api.onFileDrop((paths) => {
    dropZone.classList.remove('dragging');
    if (gone || !paths.length) return;
    const path = firstCsv(paths);
    if (!path) { fileError.show(DROP_NOT_CSV); return; }
    planFile(path);
  });
  const stopDrag = api.onFileDrag((on) => { if (!gone) dropZone.classList.toggle('dragging', on); });

  // ── History ──

  function runRow(run) {
    const open = () => { location.hash = runHref(run.id); };
    const note = (run.outcome === 'failed' || run.outcome === 'held') && run.message;
    const row = h('tr', { class: `run-row outcome-${run.outcome}`, 'data-testid': 'import-run-row', 'data-id': run.id, 'data-outcome': run.outcome },
      h('td', { class: 'nowrap' }, h('a', { href: runHref(run.id), 'data-testid': 'import-run-link', title: run.startedAt }, formatDateTime(run.startedAt) || 'Open')),
      h('td', { class: 'run-trigger', 'data-testid': 'import-run-trigger', 'data-trigger': run.trigger }, triggerLabel(run.trigger)),
      h('td', { class: 'run-source', 'data-testid': 'import-run-source' }, run.source || h('span', { class: 'muted' }, '—')),
      h('td', { class: 'run-file', 'data-testid': 'import-run-file' }, run.fileName || h('span', { class: 'muted' }, '—')),
      h('td', { 'data-testid': 'import-run-counts' }, run.counts ? countsSummary(run.counts) : h('span', { class: 'muted' }, '—')),
      h('td', { class: 'run-outcome' },
        outcomeBadge(run),
        run.outcome === 'running' && h('progress', { class: 'indeterminate small-progress', 'aria-label': 'Import running' }),
        note && h('p', { class: `run-message${run.outcome === 'failed' ? ' failed' : ''}`, 'data-testid': 'import-run-message' }, run.message)));
    row.addEventListener('click', (e) => {
      if (e.target?.closest?.('a')) return; // the link navigates by itself
      open();
    });
    return row;
  }

  async function load(reset) {
    const mine = ++seq;
    clearTimeout(pollTimer);
    more.disabled = true;
    try {
      const res = await api.importRuns(reset ? 0 : runs.length, reset ? Math.max(PAGE, runs.length) : PAGE);
      if (mine !== seq || gone) return;
      const page = Array.isArray(res.runs) ? res.runs : [];
      total = Number(res.total) || 0;
      if (reset) {
        runs = page;
        fill(tbody, runs.map(runRow));
      } else {
        runs = runs.concat(page);
        tbody.append(...page.map(runRow));
      }
      empty.hidden = runs.length > 0;
      table.hidden = runs.length === 0;
      countLine.textContent = total ? `Showing ${runs.length} of ${total}` : '';
      more.hidden = runs.length >= total || page.length === 0;
      if (runs.some((r) => r.outcome === 'running')) pollTimer = setTimeout(() => load(true), RUNNING_POLL_MS);
    } catch (err) {
      if (mine === seq && !gone) showError(err.message);
    } finally {
      if (mine === seq && !gone) more.disabled = false;
    }
  }

  more.addEventListener('click', () => load(false));
  load(true);
  if (pendingDrop) {
    const path = pendingDrop;
    pendingDrop = null;
    planFile(path);
  }

  return () => {
    gone = true;
    seq++;
    planSeq++;
    clearTimeout(pollTimer);
    stopDrop();
    stopDrag();
  };
}

// ── One run ──────────────────────────────────────────────────────────────────

function mountRun(container, id) {
  let gone = false;
  let seq = 0;
  let pollTimer = 0;
  const back = () => h('a', { class: 'back-link', href: '#/admin/imports', 'data-testid': 'import-run-back' }, '← Imports');
  const section = h('section', { class: 'admin-page import-run', 'data-testid': 'import-run', 'data-id': id },
    back(), h('p', { class: 'muted' }, 'Loading…'));
  fill(container, section);

  // A CSV dropped here is planned on the list page.
  const stopDrop = api.onFileDrop((paths) => {
    if (gone || !paths.length) return;
    const path = firstCsv(paths);
    if (!path) { showError(DROP_NOT_CSV); return; }
    pendingDrop = path;
    location.hash = '#/admin/imports';
  });

  async function load() {
    const mine = ++seq;
    clearTimeout(pollTimer);
    try {
      const res = await api.importRun(id);
      if (gone || mine !== seq) return;
      render(res.run, res.plan ?? null);
      if (res.run.outcome === 'running') pollTimer = setTimeout(load, RUNNING_POLL_MS);
    } catch (err) {
      if (gone || mine !== seq) return;
      if (err.code === 'not_found') {
        fill(section, back(),
          h('h1', { class: 'page-title' }, 'This import is not in the history'),
          h('p', { class: 'muted', 'data-testid': 'import-run-missing' }, err.message));
      } else {
        showError(err.message);
      }
    }
  }

  function render(run, plan) {
    const row = (label, value, testid) => [h('dt', null, label), h('dd', { 'data-testid': testid }, value)];
    const dash = h('span', { class: 'muted' }, '—');
    const messageInList = run.message && run.outcome !== 'held' && run.outcome !== 'failed';
    const details = h('dl', { class: 'details card' },
      row('Started', formatDateTime(run.startedAt) || '—', 'import-run-started'),
      row('Finished', run.finishedAt ? formatDateTime(run.finishedAt) : dash, 'import-run-finished'),
      row('Trigger', triggerLabel(run.trigger), 'import-run-trigger'),
      row('Source', run.source || dash, 'import-run-source'),
      row('File', run.fileName || dash, 'import-run-file'),
      row('Rows', run.rows == null ? dash : String(run.rows), 'import-run-rows'),
      row('File hash', run.fileHash ? h('code', { class: 'hash' }, run.fileHash) : dash, 'import-run-hash'),
      row('Outcome', outcomeBadge(run), null),
      run.counts && row('Changes', countsSummary(run.counts), 'import-run-counts'),
      messageInList && row('Message', run.message, 'import-run-message'));

    const planTitle = {
      applied: 'What the import did',
      held: 'What applying it does',
      discarded: 'What it would have done',
      no_changes: 'What the import found',
      failed: 'What the file held',
    }[run.outcome] ?? 'The plan';

    fill(section,
      back(),
      h('header', { class: 'page-header' },
        h('h1', { class: 'page-title', 'data-testid': 'import-run-title' }, run.fileName ? `Import of ${run.fileName}` : 'Import run'),
        outcomeBadge(run, 'import-run-badge')),
      run.outcome === 'held' && heldCard(run),
      run.outcome === 'failed' && h('div', { class: 'run-failed', role: 'alert', 'data-testid': 'import-run-failed' },
        h('p', { class: 'run-failed-title' }, 'The import failed: nothing was changed.'),
        run.message && h('p', { 'data-testid': 'import-run-message' }, run.message)),
      run.outcome === 'running' && h('div', { class: 'card admin-card' },
        busyLine('Importing… this page updates by itself.')),
      details,
      plan
        ? h('div', { class: 'card admin-card' }, planView(plan, { title: planTitle }))
        : run.outcome !== 'running' && h('p', { class: 'empty-note card', 'data-testid': 'import-run-no-plan' },
          run.outcome === 'failed' ? 'No plan: the file could not be read.' : 'This run has no plan.'));
  }

  function heldCard(run) {
    const error = formError('run-error');
    const apply = h('button', { type: 'button', class: 'button primary', 'data-testid': 'run-apply' }, 'Apply');
    const discard = h('button', { type: 'button', class: 'button', 'data-testid': 'run-discard' }, 'Discard');
    const act = (call) => async () => {
      error.clear();
      apply.disabled = true;
      discard.disabled = true;
      try {
        const next = await call(run.id);
        if (gone) { announceRun(next); return; }
        announceRun(next, { link: false });
        load();
      } catch (err) {
        if (gone) return;
        error.show(err.message);
        apply.disabled = false;
        discard.disabled = false;
      }
    };
    apply.addEventListener('click', act(api.applyHeldImport));
    discard.addEventListener('click', act(api.discardHeldImport));
    return h('div', { class: 'held-card', 'data-testid': 'run-held' },
      h('div', { class: 'held-text' },
        h('p', { class: 'held-title' }, 'Held for review: nothing was changed'),
        run.message && h('p', { class: 'held-reason', 'data-testid': 'run-held-reason' }, run.message),
        h('p', { class: 'held-hint' }, 'Read the plan below. Apply makes exactly these changes; Discard drops them and keeps everyone as they are.'),
        error.el),
      h('div', { class: 'held-actions' }, discard, apply));
  }

  load();
  return () => { gone = true; seq++; clearTimeout(pollTimer); stopDrop(); };
}
