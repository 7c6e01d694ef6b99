// Admin > Integrations · Column mapping: for HRIS exports that are not Roster's
// template. The admin picks a sample file, says what each column is, and sees
// at once whether Roster understands the file with that (unsaved) mapping. The
// file's content is untrusted: it only ever goes in as text.
import * as api from '../api.js';
import { h, fill } from '../components/dom.js';
import { field, input, formError } from '../components/form.js';
import { showToast } from '../components/toast.js';
import { debounce } from '../debounce.js';
import { plural } from '../format.js';

const RESAMPLE_MS = 300;
const PREVIEW_LINES = 3;

const FIELDS = [
  ['ignore', 'Not imported'],
  ['firstName', 'First name'],
  ['lastName', 'Last name'],
  ['fullName', 'Full name (First Last)'],
  ['fullNameLastFirst', 'Full name written “Last, First”'],
  ['gender', 'Gender'],
  ['title', 'Title'],
  ['email', 'Login email'],
  ['manager', 'Manager'],
  ['managerEmail', 'Manager email'],
  ['managerEmployeeId', 'Manager employee ID'],
  ['managerName', 'Manager name'],
  ['department', 'Department'],
  ['team', 'Team'],
  ['location', 'Location'],
  ['employeeId', 'Employee ID'],
  ['hireDate', 'Hiring date'],
  ['status', 'Status'],
  ['terminationDate', 'Termination date'],
];
const MANAGER_BY = [['email', 'Email'], ['employeeId', 'Employee ID'], ['name', 'Name']];
const DATE_FORMATS = [['', 'Automatic'], ['YYYY-MM-DD', 'YYYY-MM-DD'], ['DD.MM.YYYY', 'DD.MM.YYYY'], ['MM/DD/YYYY', 'MM/DD/YYYY']];
const DELIMITERS = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'vertical bar' };

const select = (testid, options, value, attrs = {}) => {
  const el = h('select', { class: 'input', 'data-testid': testid, ...attrs },
    options.map(([v, label]) => h('option', { value: v }, label)));
  el.value = value;
  return el;
};
const list = (text) => text.split(',').map((s) => s.trim()).filter(Boolean);

// Returns { el, destroy }. The card keeps its state across re-renders of the page.
export function mountImportMapping() {
  let gone = false;
  let saved = null; // the saved Mapping, or null
  let editor = null; // the open editor, or null
  let seq = 0; // drops stale import_sample answers

  const status = h('p', { class: 'muted', 'data-testid': 'mapping-status' }, 'Loading…');
  const pick = h('button', { type: 'button', class: 'button', 'data-testid': 'mapping-pick' }, 'Set up with a sample file…');
  const remove = h('button', { type: 'button', class: 'button danger-outline', 'data-testid': 'mapping-remove', hidden: true }, 'Remove mapping');
  const error = formError('mapping-error');
  const body = h('div', { class: 'mapping-body' });

  const el = h('div', { class: 'card admin-card', 'data-testid': 'import-mapping' },
    h('div', { class: 'card-title-row' }, h('h2', { class: 'card-title' }, 'Column mapping'),
      h('div', { class: 'card-actions' }, remove, pick)),
    h('p', { class: 'muted small' }, 'For HRIS exports that are not Roster’s template: say once what each column holds.'),
    status,
    error.el,
    body);

  function showSaved() {
    status.textContent = saved
      ? 'A saved mapping is used for every import.'
      : 'No mapping: Roster reads the template’s columns and common synonyms by their headers.';
    status.dataset.saved = String(!!saved);
    remove.hidden = !saved;
  }

  pick.addEventListener('click', async () => {
    error.clear();
    pick.disabled = true;
    try {
      const file = await api.pickImportFile();
      if (gone || !file) return;
      const path = typeof file === 'string' ? file : file.path;
      const start = editor ? editor.mapping() : saved;
      editor?.cancel();
      const mySeq = ++seq;
      const sample = await api.importSample(path, start ?? null);
      if (gone || mySeq !== seq) return;
      editor = openEditor(path, file.name ?? path, sample, start);
    } catch (err) {
      if (!gone) error.show(err.message);
    } finally {
      if (!gone) pick.disabled = false;
    }
  });

  remove.addEventListener('click', async () => {
    error.clear();
    remove.disabled = true;
    try {
      saved = await api.saveImportMapping(null);
      if (gone) return;
      closeEditor();
      showSaved();
      showToast({ message: 'Column mapping removed: Roster reads files by their headers again.' });
    } catch (err) {
      if (!gone) error.show(err.message);
    } finally {
      if (!gone) remove.disabled = false;
    }
  });

  function closeEditor() {
    editor?.cancel();
    editor = null;
    seq++;
    fill(body);
  }

  // ── The editor: one sample file, the mapping being made ──────────────────
  function openEditor(path, name, first, start) {
    let sample = first;
    let shape = '';
    const fields = new Map(); // column number → Field, as chosen
    const previews = new Map(); // column number → the cell of its first values

    const hasHeader = h('input', { type: 'checkbox', 'data-testid': 'mapping-has-header' });
    hasHeader.checked = start?.hasHeader ?? sample.hasHeader ?? true;
    const managerBy = select('mapping-manager-by', MANAGER_BY, start?.managerBy ?? 'email');
    const activeValues = input('mapping-active-values', { type: 'text', value: (start?.activeValues ?? []).join(', '), placeholder: 'active, employed', autocomplete: 'off', spellcheck: 'false' });
    const inactiveValues = input('mapping-inactive-values', { type: 'text', value: (start?.inactiveValues ?? []).join(', '), placeholder: 'terminated, left', autocomplete: 'off', spellcheck: 'false' });
    const dateFormat = select('mapping-date-format', DATE_FORMATS, start?.dateFormat ?? '');
    const tbody = h('tbody');
    const result = h('div', { class: 'test-result', role: 'status', 'data-testid': 'mapping-result' });
    const save = h('button', { type: 'button', class: 'button primary', 'data-testid': 'mapping-save' }, 'Save mapping');
    const close = h('button', { type: 'button', class: 'button', 'data-testid': 'mapping-close' }, 'Close');

    const headerOf = (col) => {
      if (sample.hasHeader) return col.header ?? '';
      return sample.lines?.[0]?.[col.number - 1] ?? '';
    };
    const mapping = () => {
      const columns = {};
      const header = hasHeader.checked;
      for (const col of sample.columns ?? []) {
        const key = header ? headerOf(col) : String(col.number);
        if (key === '') continue;
        columns[key] = fields.get(col.number) ?? 'ignore';
      }
      return {
        hasHeader: header,
        columns,
        managerBy: managerBy.value || null,
        activeValues: list(activeValues.value),
        inactiveValues: list(inactiveValues.value),
        dateFormat: dateFormat.value || null,
      };
    };

    function showColumns() {
      const cols = sample.columns ?? [];
      const next = JSON.stringify([sample.hasHeader, cols.map((c) => [c.number, c.header])]);
      if (next !== shape) {
        shape = next;
        previews.clear();
        fill(tbody, cols.map((col) => {
          const choice = select('mapping-field', FIELDS, fields.get(col.number) ?? col.field ?? 'ignore',
            { 'data-number': col.number, 'aria-label': `What column ${col.number} holds` });
          fields.set(col.number, choice.value || 'ignore');
          choice.addEventListener('change', () => { fields.set(col.number, choice.value); resample(); });
          const values = h('td', { class: 'mapping-values' });
          previews.set(col.number, values);
          return h('tr', { 'data-testid': 'mapping-column', 'data-number': col.number },
            h('td', { class: 'mapping-header' }, sample.hasHeader && col.header
              ? h('span', { class: 'mapping-header-text' }, col.header)
              : h('span', { class: 'muted' }, `Column ${col.number}`)),
            values,
            h('td', { class: 'mapping-choice' }, choice));
        }));
      }
      for (const col of cols) {
        const values = (sample.lines ?? []).slice(0, PREVIEW_LINES).map((line) => line?.[col.number - 1] ?? '');
        fill(previews.get(col.number), values.map((v) => h('span', { class: 'mapping-value', 'data-testid': 'mapping-value' }, v)));
      }
    }

    function showResult() {
      if (sample.problem) {
        result.className = 'test-result result-failed';
        fill(result, h('p', { 'data-testid': 'mapping-problem' }, sample.problem));
        return;
      }
      const delimiter = DELIMITERS[sample.delimiter] ?? `“${sample.delimiter ?? '?'}”`;
      const rows = Number(sample.rows);
      result.className = 'test-result result-sent';
      fill(result,
        h('p', { 'data-testid': 'mapping-ok' }, 'Roster understands these columns.'),
        h('p', { class: 'small', 'data-testid': 'mapping-file-facts' },
          [sample.encoding && `Encoding: ${sample.encoding}`, `Delimiter: ${delimiter}`,
            Number.isFinite(rows) && plural(rows, 'row', 'rows')].filter(Boolean).join(' · ')));
    }

    const sampleNow = debounce(async () => {
      const mySeq = ++seq;
      try {
        const next = await api.importSample(path, mapping());
        if (gone || mySeq !== seq) return;
        sample = next;
        error.clear();
        showColumns();
        showResult();
      } catch (err) {
        if (!gone && mySeq === seq) error.show(err.message);
      } finally {
        if (!gone && mySeq === seq) result.classList.remove('stale');
      }
    }, RESAMPLE_MS);
    // Any change makes an answer still on its way stale: it is dropped.
    const resample = () => { seq++; result.classList.add('stale'); sampleNow(); };

    for (const control of [hasHeader, managerBy, dateFormat]) control.addEventListener('change', resample);
    for (const control of [activeValues, inactiveValues]) control.addEventListener('input', resample);

    save.addEventListener('click', async () => {
      error.clear();
      save.disabled = true;
      try {
        saved = await api.saveImportMapping(mapping());
        if (gone) return;
        showSaved();
        showToast({ message: 'Column mapping saved.' });
      } catch (err) {
        if (!gone) error.show(err.message);
      } finally {
        if (!gone) save.disabled = false;
      }
    });
    close.addEventListener('click', () => { error.clear(); closeEditor(); });

    fill(body, h('div', { class: 'mapping-editor', 'data-testid': 'mapping-editor' },
      h('p', { class: 'mapping-file small' }, 'Sample: ', h('span', { class: 'file-name', 'data-testid': 'mapping-file' }, name)),
      h('label', { class: 'inline-check' }, hasHeader, 'The first line is a header'),
      h('div', { class: 'mapping-table-wrap' },
        h('table', { class: 'mapping-table' },
          h('thead', null, h('tr', null, h('th', null, 'Column'), h('th', null, 'First values'), h('th', null, 'Holds'))),
          tbody)),
      h('div', { class: 'field-row' },
        field('Manager column holds', managerBy),
        field('Date format', dateFormat)),
      h('div', { class: 'field-row' },
        field('Status values that mean active', activeValues, 'Comma separated.'),
        field('…that mean inactive', inactiveValues, 'Comma separated.')),
      result,
      h('div', { class: 'form-actions' }, close, save)));
    showColumns();
    showResult();
    return { mapping, cancel: () => sampleNow.cancel() };
  }

  (async () => {
    try {
      saved = await api.importMapping();
      if (gone) return;
      showSaved();
    } catch (err) {
      if (gone) return;
      status.textContent = '';
      error.show(err.message);
    }
  })();

  return { el, destroy: () => { gone = true; editor?.cancel(); } };
}
