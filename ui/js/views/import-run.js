// What every screen says about an HRIS import run: its outcome as a badge, its
// counts as one line ("3 created · 2 updated · 4 errors"), and the toast after
// an import with a link to the run. Shared by Admin > Integrations and
// Admin > Imports.
import { h } from '../components/dom.js';
import { showToast } from '../components/toast.js';
import { plural } from '../format.js';

export const runHref = (id) => `#/admin/imports/${encodeURIComponent(id)}`;

const OUTCOMES = {
  applied: { label: 'Applied', class: 'ok-badge' },
  no_changes: { label: 'No changes', class: 'muted-badge' },
  held: { label: 'Held for review', class: 'warn-badge' },
  discarded: { label: 'Discarded', class: 'muted-badge' },
  failed: { label: 'Failed', class: 'danger-badge' },
  running: { label: 'Running…', class: 'running-badge' },
};

export const outcomeLabel = (outcome) => OUTCOMES[outcome]?.label ?? String(outcome ?? '');

export function outcomeBadge(run, testid = 'import-run-outcome') {
  const o = OUTCOMES[run.outcome] ?? { label: String(run.outcome ?? ''), class: '' };
  return h('span', { class: `badge ${o.class}`, 'data-testid': testid, 'data-outcome': run.outcome }, o.label);
}

const TRIGGERS = { automatic: 'Automatic', manual: 'Manual', cli: 'rosterctl' };
export const triggerLabel = (trigger) => TRIGGERS[trigger] ?? String(trigger ?? '');

// In the order an admin reads them; `unchanged` only when nothing else happened.
const SUMMARY = [
  ['created', (n) => `${n} created`],
  ['updated', (n) => `${n} updated`],
  ['deactivated', (n) => `${n} deactivated`],
  ['reactivated', (n) => `${n} reactivated`],
  ['held', (n) => `${n} held`],
  ['skipped', (n) => `${n} skipped`],
  ['errors', (n) => plural(n, 'error', 'errors')],
  ['warnings', (n) => plural(n, 'warning', 'warnings')],
];

export function countsSummary(counts) {
  if (!counts) return '';
  const parts = SUMMARY.filter(([key]) => Number(counts[key]) > 0).map(([key, say]) => say(Number(counts[key])));
  if (parts.length) return parts.join(' · ');
  return Number(counts.unchanged) > 0 ? `${counts.unchanged} unchanged` : 'Nothing to change';
}

// One sentence for the toast after Import now, Import, Apply or Discard.
export function describeRun(run) {
  const counts = countsSummary(run.counts);
  switch (run.outcome) {
    case 'applied': return `Import applied${counts ? `: ${counts}` : ''}.`;
    case 'no_changes': return 'Import finished: no changes.';
    case 'held': return `Import held for review${run.message ? `: ${run.message}` : '.'}`;
    case 'discarded': return 'Import discarded: nothing was changed.';
    case 'failed': return `Import failed: ${run.message || 'see the run for details.'}`;
    case 'running': return 'Import started.';
    default: return `Import: ${outcomeLabel(run.outcome)}`;
  }
}

// The toast after an import, with "Open run" (not when the run is already on
// screen).
export function announceRun(run, { link = true } = {}) {
  showToast({
    message: describeRun(run),
    action: link && run?.id
      ? { label: 'Open run', testid: 'toast-open-run', run: () => { location.hash = runHref(run.id); } }
      : null,
  });
}
