// Admin > Integrations · SFTP: where the company's HRIS file comes from (an
// SFTP server, or a local folder an HRIS export lands in), the "Run automatic
// imports" switch of the help article with its interval, "Import now", and
// "Test connection" — which shows the server's host key on first contact so the
// admin can compare it with IT's and pin it, and warns loudly when it changed.
// Passwords and key passphrases live in the system keyring; when there is none,
// the field is disabled and the keyring's message says why.
import * as api from '../api.js';
import { h, fill } from '../components/dom.js';
import { field, input, formError } from '../components/form.js';
import { showToast, showError } from '../components/toast.js';
import { formatDateTime, plural } from '../format.js';
import { announceRun, countsSummary, outcomeBadge, runHref } from './import-run.js';
import { mountImportMapping } from './import-mapping.js';

const DEFAULT_PATTERN = '*.csv';
// Code pages HRIS exports come in when they are not UTF-8 (values: encoding_rs's names, lower-cased).
const CODE_PAGES = [
  ['windows-1252', 'windows-1252 (Excel, Western European)'],
  ['iso-8859-15', 'iso-8859-15 (Western European with €)'],
  ['windows-1250', 'windows-1250 (Central European)'],
  ['windows-1251', 'windows-1251 (Cyrillic)'],
  ['windows-1253', 'windows-1253 (Greek)'],
  ['windows-1254', 'windows-1254 (Turkish)'],
  ['windows-1257', 'windows-1257 (Baltic)'],
  ['macintosh', 'macintosh (Mac Roman)'],
];
const RUNNING_POLL_MS = 2000;

const everyText = (minutes) => `While Roster is open, it imports the newest file every ${plural(minutes, 'minute', 'minutes')}. Off: nothing runs by itself; Import now still works.`;

export function mountIntegrations(container) {
  let gone = false;
  let view = null; // the last SourceView
  let pollTimer = 0;
  // The column mapping keeps its state (an open editor) when the source re-renders.
  const mapping = mountImportMapping();

  const section = h('section', { class: 'admin-page', 'data-testid': 'admin-integrations' },
    header(),
    h('p', { class: 'muted' }, 'Loading…'));
  fill(container, section);

  function header() {
    return h('header', { class: 'page-header' }, h('h1', { class: 'page-title' }, 'Integrations · SFTP'));
  }

  // ── "Run automatic imports" and "Import now" ─────────────────────────────
  const automatic = h('input', {
    type: 'checkbox', class: 'switch', role: 'switch', id: 'import-automatic', 'data-testid': 'import-automatic',
  });
  const interval = input('import-interval', {
    type: 'number', min: 1, max: 10080, step: 1, inputmode: 'numeric', class: 'input interval-input', 'aria-label': 'Minutes between imports',
  });
  const intervalUnit = h('span', null, ' minutes');
  const automaticHint = h('p', { class: 'muted small switch-hint', 'data-testid': 'import-automatic-hint' });
  const automaticError = formError('import-automatic-error');
  const importNow = h('button', { type: 'button', class: 'button', 'data-testid': 'import-now' }, 'Import now');
  const lastRun = h('p', { class: 'last-run muted small', 'data-testid': 'import-last-run', hidden: true });

  const automaticCard = h('div', { class: 'card admin-card', 'data-testid': 'import-automatic-card' },
    h('div', { class: 'switch-row' },
      h('label', { class: 'switch-label', for: 'import-automatic' }, automatic, h('span', { class: 'switch-text' }, 'Run automatic imports')),
      h('span', { class: 'interval' }, 'every ', interval, intervalUnit),
      h('span', { class: 'switch-spacer' }),
      importNow),
    automaticHint,
    lastRun,
    automaticError.el);

  function showSchedule(v) {
    automatic.checked = !!v.automatic;
    automatic.setAttribute('aria-checked', String(!!v.automatic));
    interval.value = String(v.intervalMinutes ?? 60);
    intervalUnit.textContent = Number(v.intervalMinutes) === 1 ? ' minute' : ' minutes';
    automaticHint.textContent = everyText(Number(v.intervalMinutes ?? 60));
    automaticCard.classList.toggle('on', !!v.automatic);
  }

  automatic.addEventListener('change', async () => {
    const on = automatic.checked;
    automaticError.clear();
    automatic.disabled = true;
    try {
      view = await api.setAutomaticImports(on);
      if (gone) return;
      showSchedule(view);
      showToast({
        message: on
          ? `Automatic imports are on: Roster imports the newest file now, then every ${plural(Number(view.intervalMinutes), 'minute', 'minutes')}.`
          : 'Automatic imports are off. Import now still works.',
        action: on ? { label: 'Open Imports', testid: 'toast-open-imports', run: () => { location.hash = '#/admin/imports'; } } : null,
      });
      loadLastRun();
    } catch (err) {
      if (gone) return;
      automatic.checked = !on;
      automatic.setAttribute('aria-checked', String(!on));
      automaticError.show(err.message);
    } finally {
      if (!gone) automatic.disabled = false;
    }
  });

  interval.addEventListener('change', async () => {
    automaticError.clear();
    const minutes = Number(interval.value);
    if (interval.value.trim() === '' || !Number.isInteger(minutes) || minutes < 1) {
      automaticError.show('Enter the minutes between imports as a whole number, at least 1.');
      if (view) interval.value = String(view.intervalMinutes);
      return;
    }
    interval.disabled = true;
    try {
      view = await api.setImportInterval(minutes);
      if (gone) return;
      showSchedule(view);
      showToast({ message: `Automatic imports run every ${plural(Number(view.intervalMinutes), 'minute', 'minutes')}.` });
    } catch (err) {
      if (gone) return;
      automaticError.show(err.message);
      if (view) interval.value = String(view.intervalMinutes);
    } finally {
      if (!gone) interval.disabled = false;
    }
  });

  importNow.addEventListener('click', async () => {
    automaticError.clear();
    importNow.disabled = true;
    importNow.textContent = 'Importing…';
    try {
      const run = await api.importNow();
      if (gone) return;
      announceRun(run);
      loadLastRun();
    } catch (err) {
      if (!gone) automaticError.show(err.message);
    } finally {
      if (!gone) { importNow.disabled = false; importNow.textContent = 'Import now'; }
    }
  });

  // "Last import: …", kept fresh while a run is going.
  async function loadLastRun() {
    clearTimeout(pollTimer);
    try {
      const { runs } = await api.importRuns(0, 1);
      if (gone) return;
      const run = runs?.[0];
      if (!run) {
        fill(lastRun, 'No import has run yet.');
      } else {
        const summary = run.outcome === 'failed' ? run.message : countsSummary(run.counts);
        fill(lastRun, 'Last import: ',
          h('a', { href: runHref(run.id), 'data-testid': 'import-last-run-link' }, formatDateTime(run.startedAt) || 'open'),
          run.fileName && ` · ${run.fileName}`, ' ',
          outcomeBadge(run, 'import-last-run-outcome'),
          summary && h('span', { class: 'last-run-summary' }, ` ${summary}`));
        if (run.outcome === 'running') pollTimer = setTimeout(loadLastRun, RUNNING_POLL_MS);
      }
      lastRun.hidden = false;
    } catch {
      // The line is a convenience: the Imports page says what went wrong.
    }
  }

  // ── The source ───────────────────────────────────────────────────────────
  function sourceCard(v) {
    const s = v.settings ?? {};
    const keyring = v.keyring ?? { available: true, message: '' };
    let dirty = false;

    const kindSftp = h('input', { type: 'radio', name: 'import-kind', value: 'sftp', 'data-testid': 'import-kind-sftp' });
    const kindFolder = h('input', { type: 'radio', name: 'import-kind', value: 'folder', 'data-testid': 'import-kind-folder' });
    const kind = () => (kindSftp.checked ? 'sftp' : 'folder');
    (s.kind === 'sftp' ? kindSftp : kindFolder).checked = true;

    const text = (testid, value, attrs = {}) => input(testid, { type: 'text', value: value ?? '', autocomplete: 'off', spellcheck: 'false', ...attrs });
    const host = text('import-host', s.host, { placeholder: 'sftp.example.com' });
    const port = input('import-port', { type: 'number', min: 1, max: 65535, step: 1, inputmode: 'numeric', value: String(s.port ?? 22) });
    const username = text('import-username', s.username);
    const keyPath = text('import-key-path', s.keyPath, { placeholder: '/home/you/.ssh/id_ed25519' });
    const keyPick = h('button', { type: 'button', class: 'button', 'data-testid': 'import-key-pick' }, 'Choose…');
    const secret = input('import-secret', {
      type: 'password', autocomplete: 'new-password',
      placeholder: v.secretStored ? '•••••• stored' : '',
      disabled: !keyring.available,
    });
    const forget = h('input', { type: 'checkbox', 'data-testid': 'import-secret-remove' });
    forget.addEventListener('change', () => { secret.disabled = forget.checked || !keyring.available; });
    const keyringLine = h('p', { class: `field-hint keyring${keyring.available ? '' : ' unavailable'}`, 'data-testid': 'import-keyring' },
      keyring.available
        ? (keyring.message || 'Kept in the system keyring, not in the workspace. Leave empty to keep the stored one.')
        : keyring.message);
    const remoteFolder = text('import-remote-folder', s.remoteFolder, { placeholder: '/exports/hris' });
    const folder = text('import-folder', s.folder, { placeholder: '/mnt/share/hris-exports' });
    const pattern = text('import-pattern', s.pattern || DEFAULT_PATTERN);
    const error = formError('import-error');
    const save = h('button', { type: 'submit', class: 'button primary', 'data-testid': 'import-save' }, 'Save');

    const sftpPart = h('div', { class: 'source-part', 'data-testid': 'import-sftp-fields' },
      h('div', { class: 'field-row host-row' }, field('Server', host), field('Port', port)),
      field('Username', username),
      h('div', { class: 'field' },
        h('span', { class: 'field-label' }, 'Private key file'),
        h('div', { class: 'input-with-button' }, keyPath, keyPick),
        h('span', { class: 'field-hint' }, 'OpenSSH format (ed25519 or RSA). Leave empty to sign in with a password.')),
      h('div', { class: 'field' },
        h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'Password or key passphrase'), secret),
        keyringLine,
        v.secretStored && keyring.available && h('label', { class: 'inline-check' }, forget, ' Remove the stored password or passphrase')),
      field('Remote folder', remoteFolder));
    const folderPart = h('div', { class: 'source-part', 'data-testid': 'import-folder-fields' },
      field('Folder', folder, 'A folder on this computer or a mounted share that the HRIS export lands in.'));

    const showKind = () => {
      sftpPart.hidden = kind() !== 'sftp';
      folderPart.hidden = kind() !== 'folder';
    };
    showKind();

    const form = h('form', { class: 'admin-form', novalidate: true, 'data-testid': 'import-source-form' },
      h('fieldset', { class: 'kind-choice' },
        h('legend', { class: 'field-label' }, 'The file comes from'),
        h('label', { class: 'radio' }, kindSftp, 'SFTP server'),
        h('label', { class: 'radio' }, kindFolder, 'Local folder')),
      sftpPart,
      folderPart,
      field('File pattern', pattern, 'The newest matching file is imported.'),
      error.el,
      h('div', { class: 'form-actions' }, save));

    form.addEventListener('input', () => { dirty = true; });
    form.addEventListener('change', (e) => {
      dirty = true;
      if (e.target === kindSftp || e.target === kindFolder) showKind();
    });

    keyPick.addEventListener('click', async () => {
      keyPick.disabled = true;
      try {
        const path = await api.pickKeyFile();
        if (gone || !path) return;
        keyPath.value = path;
        dirty = true;
      } catch (err) {
        if (!gone) error.show(err.message);
      } finally {
        if (!gone) keyPick.disabled = false;
      }
    });

    // Returns the next SourceView, or null when the form has a problem.
    async function submit() {
      error.clear();
      const sftp = kind() === 'sftp';
      const portNumber = Number(port.value);
      if (sftp && !host.value.trim()) { error.show('Enter the SFTP server’s name or address.'); host.focus(); return null; }
      if (sftp && (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535)) {
        error.show('Enter the port as a whole number from 1 to 65535.');
        port.focus();
        return null;
      }
      if (sftp && !username.value.trim()) { error.show('Enter the username Roster signs in to the server with.'); username.focus(); return null; }
      if (!sftp && !folder.value.trim()) { error.show('Enter the folder the HRIS export lands in.'); folder.focus(); return null; }
      const settings = {
        kind: kind(),
        folder: folder.value.trim() || null,
        pattern: pattern.value.trim() || DEFAULT_PATTERN,
        host: host.value.trim() || null,
        port: Number.isInteger(portNumber) && portNumber > 0 ? portNumber : 22,
        username: username.value.trim() || null,
        keyPath: keyPath.value.trim() || null,
        remoteFolder: remoteFolder.value.trim() || null,
      };
      // null keeps the stored secret, "" removes it.
      let pass = null;
      if (keyring.available && forget.checked) pass = '';
      else if (keyring.available && secret.value) pass = secret.value;
      save.disabled = true;
      try {
        const next = await api.saveImportSource(settings, pass);
        if (gone) return null;
        dirty = false;
        return next;
      } catch (err) {
        if (!gone) error.show(err.message);
        return null;
      } finally {
        if (!gone) save.disabled = false;
      }
    }

    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const next = await submit();
      if (!next) return;
      render(next);
      showToast({ message: 'Import source saved.' });
    });

    return {
      el: h('div', { class: 'card admin-card' },
        h('h2', { class: 'card-title' }, 'Source'),
        h('p', { class: 'muted' }, 'Where Roster finds the HRIS export. A file with a header row (First Name, Last Name, Login Email, Status, …) or the original template’s columns works as is.'),
        form),
      isDirty: () => dirty,
      submit,
    };
  }

  // ── Test connection and the host key ──────────────────────────────────────
  function connectionCard(v, source) {
    const test = h('button', { type: 'button', class: 'button', 'data-testid': 'import-test' }, 'Test connection');
    const result = h('div', { class: 'test-result', role: 'status', 'data-testid': 'import-test-result', hidden: true });
    const sftp = v.settings?.kind === 'sftp';
    const pinned = v.hostKey
      ? h('p', { class: 'host-key-line' }, 'Trusted host key: ', h('code', { class: 'fingerprint', 'data-testid': 'import-host-key' }, v.hostKey))
      : sftp && h('p', { class: 'muted small', 'data-testid': 'import-host-key-none' }, 'No host key is trusted yet: Test connection shows the server’s, for you to accept.');

    const show = (state, ...children) => {
      result.className = `test-result result-${state}`;
      result.dataset.state = state;
      fill(result, ...children);
      result.hidden = false;
    };

    async function run() {
      test.disabled = true;
      test.textContent = 'Connecting…';
      result.hidden = true;
      try {
        // The test uses the saved settings: unsaved changes are saved first.
        if (source.isDirty()) {
          const next = await source.submit();
          if (!next) return;
          render(next, { thenTest: true });
          return;
        }
        const res = await api.testImportConnection();
        if (gone) return;
        showResult(res);
      } catch (err) {
        if (!gone) show('failed', h('p', { class: 'test-line', 'data-testid': 'import-test-message' }, err.message));
      } finally {
        if (!gone) { test.disabled = false; test.textContent = 'Test connection'; }
      }
    }

    function showResult(res) {
      const files = Array.isArray(res.files) ? res.files : [];
      const fileList = files.length
        ? h('ul', { class: 'file-list', 'data-testid': 'import-test-files' }, files.map((f) => h('li', { 'data-testid': 'import-test-file' }, ...fileLine(f))))
        : null;
      const message = res.message && h('p', { class: 'test-line', 'data-testid': 'import-test-message' }, res.message);

      if (res.changedFrom) {
        show('failed',
          h('p', { class: 'key-changed', role: 'alert', 'data-testid': 'import-key-changed' },
            'The server’s host key changed from ', h('code', { class: 'fingerprint' }, res.changedFrom),
            ' to ', h('code', { class: 'fingerprint' }, res.fingerprint ?? 'an unknown key'),
            '. This may be an attack: do not import until your IT team confirms the new key.'),
          h('p', { class: 'test-line small' }, 'Roster refuses to connect while the key differs. Once IT confirms the new key, save the settings again to forget the old one, then test the connection and accept the new key.'),
          message);
        return;
      }
      if (res.fingerprint && res.pinned === false) {
        const accept = h('button', { type: 'button', class: 'button primary', 'data-testid': 'import-accept-key' }, 'Accept this host key');
        accept.addEventListener('click', async () => {
          accept.disabled = true;
          try {
            const next = await api.acceptHostKey(res.fingerprint);
            if (gone) return;
            showToast({ message: 'Host key accepted: Roster connects to this server only while it shows this key.' });
            render(next, { thenTest: true });
          } catch (err) {
            if (gone) return;
            accept.disabled = false;
            show('failed', h('p', { class: 'test-line', 'data-testid': 'import-test-message' }, err.message));
          }
        });
        show('pending',
          h('p', { class: 'test-line', 'data-testid': 'import-first-key' },
            'First connection: the server’s host key fingerprint is ',
            h('code', { class: 'fingerprint', 'data-testid': 'import-fingerprint' }, res.fingerprint),
            '. Compare it with the one your IT team gives you.'),
          message,
          fileList && [h('p', { class: 'test-line' }, `Matching files: ${files.length}`), fileList],
          h('div', { class: 'test-actions' }, accept));
        return;
      }
      show('sent',
        message || h('p', { class: 'test-line', 'data-testid': 'import-test-message' },
          files.length ? `Connected: ${plural(files.length, 'file matches', 'files match')} the pattern.` : 'Connected, but no file matches the pattern.'),
        fileList);
    }

    test.addEventListener('click', run);
    return {
      el: h('div', { class: 'card admin-card' },
        h('div', { class: 'card-title-row' }, h('h2', { class: 'card-title' }, 'Connection'), test),
        h('p', { class: 'muted' }, sftp
          ? 'Signs in to the server, checks its host key and lists the files that match the pattern. Nothing is imported.'
          : 'Lists the files in the folder that match the pattern. Nothing is imported.'),
        pinned,
        result),
      run,
    };
  }

  // ── How imports apply: people missing from the file, the safeguard, the code page ──
  function rulesCard(v) {
    const rules = v.rules;
    const missing = h('select', { class: 'input', 'data-testid': 'import-missing' },
      h('option', { value: 'partial' }, 'Left alone: the file may list only part of the company'),
      h('option', { value: 'full' }, 'Deactivated: the file lists the whole company'));
    missing.value = rules.missing;
    const threshold = input('import-threshold', {
      type: 'number', min: 1, max: 100, step: 1, inputmode: 'numeric', class: 'input interval-input', value: String(rules.thresholdPercent),
    });
    const encoding = h('select', { class: 'input', 'data-testid': 'import-encoding' },
      ...CODE_PAGES.map(([value, label]) => h('option', { value }, label)));
    if (!CODE_PAGES.some(([value]) => value === rules.fallbackEncoding)) {
      encoding.append(h('option', { value: rules.fallbackEncoding }, rules.fallbackEncoding));
    }
    encoding.value = rules.fallbackEncoding;
    const error = formError('import-rules-error');
    const save = h('button', { type: 'submit', class: 'button', 'data-testid': 'import-rules-save' }, 'Save rules');
    const form = h('form', { class: 'card admin-card', 'data-testid': 'import-rules', novalidate: true },
      h('h2', { class: 'card-title' }, 'How imports apply'),
      field('People in Roster but missing from the file', missing,
        'Admins and people with a sync hold are never deactivated this way.'),
      field('Safeguard', h('span', null, 'Hold an automatic import for review when it would deactivate more than ', threshold, ' % of the active people'),
        'Empty files, and files with fewer than half the rows of the last applied one, are held too.'),
      field('Files that are not UTF-8 are read as', encoding, 'Excel on Windows saves CSV files in windows-1252.'),
      error.el,
      h('div', { class: 'form-actions' }, save));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      error.clear();
      const percent = Number(threshold.value);
      if (threshold.value.trim() === '' || !Number.isInteger(percent)) {
        error.show('Enter the safeguard as a whole number of percent, from 1 to 100.');
        return;
      }
      save.disabled = true;
      try {
        view = await api.setImportRules({ missing: missing.value, thresholdPercent: percent, fallbackEncoding: encoding.value });
        if (gone) return;
        showToast({ message: 'Import rules saved. The next import applies them.' });
      } catch (err) {
        if (!gone) error.show(err.message);
      } finally {
        if (!gone) save.disabled = false;
      }
    });
    return form;
  }

  function render(v, { thenTest = false } = {}) {
    view = v;
    showSchedule(v);
    const source = sourceCard(v);
    const connection = connectionCard(v, source);
    fill(section, header(), automaticCard, source.el, connection.el, rulesCard(v), mapping.el);
    if (thenTest) connection.run();
  }

  async function load() {
    try {
      const v = await api.importSource();
      if (gone) return;
      render(v);
      loadLastRun();
    } catch (err) {
      if (!gone) showError(err.message);
    }
  }

  load();
  return () => { gone = true; clearTimeout(pollTimer); mapping.destroy(); };
}

// A file the test found: a name, or { name, size, modifiedAt } when the
// backend says more.
function fileLine(f) {
  if (f == null || typeof f !== 'object') return [h('span', { class: 'file-name' }, String(f ?? ''))];
  const size = Number(f.size);
  return [
    h('span', { class: 'file-name' }, String(f.name ?? f.path ?? '')),
    Number.isFinite(size) && f.size != null && h('span', { class: 'muted' }, ` · ${formatSize(size)}`),
    (f.modifiedAt || f.modified) && h('span', { class: 'muted' }, ` · ${formatDateTime(f.modifiedAt || f.modified)}`),
  ];
}

function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
