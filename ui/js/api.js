// The only module that talks to the Rust side: one function per command of
// docs/ipc-contract.md. Every rejection is a plain `{ code, message }`.
//
// It is also the one place that notices a session has ended: when any call is
// refused because nobody is signed in (or the session expired), and after
// sign_out, it fires SIGNED_OUT on window with `{ message }` and main.js brings
// back the sign-in screen.

export const SIGNED_OUT = 'roster:signed-out';
const SESSION_ENDED = /^(Your session expired|Sign in first)/;

function signedOut(message) {
  window.dispatchEvent(new CustomEvent(SIGNED_OUT, { detail: { message } }));
}

function normalise(err) {
  if (err && typeof err === 'object' && typeof err.message === 'string') {
    const code = typeof err.code === 'string' && err.code ? err.code : 'internal';
    return { code, message: err.message };
  }
  if (typeof err === 'string' && err) return { code: 'internal', message: err };
  return { code: 'internal', message: 'Something went wrong. Please try again.' };
}

async function call(name, args = {}) {
  const invoke = window.__TAURI__?.core?.invoke;
  if (typeof invoke !== 'function') {
    throw { code: 'unavailable', message: 'Roster’s backend is not reachable. Start Roster from the desktop app.' };
  }
  try {
    return await invoke(name, args);
  } catch (err) {
    const e = normalise(err);
    if (e.code === 'forbidden' && SESSION_ENDED.test(e.message)) signedOut(e.message);
    throw e;
  }
}

// Workspace
export const workspaceStatus = () => call('workspace_status');
export const setupCompany = (setup) => call('setup_company', { setup });

// Directory
export const license = () => call('license');
export const directoryPage = (query, offset, limit) => call('directory_page', { query, offset, limit });
export const directoryIds = (query, from, to) => call('directory_ids', { query, from, to });

// Lifecycle
export const deactivationPlan = (ids) => call('deactivation_plan', { ids });
export const deactivate = (ids, reason, handover) => call('deactivate', { ids, reason, handover });
export const reactivate = (ids) => call('reactivate', { ids });
export const undo = (changeId) => call('undo', { changeId });

// Profile
export const personProfile = (id) => call('person_profile', { id });

// Audit
export const auditList = (filter, offset, limit) => call('audit_list', { filter, offset, limit });
export const auditActions = () => call('audit_actions');
export const auditExport = (filter) => call('audit_export', { filter });

// Sign-in and session
export const signIn = (email, password) => call('sign_in', { email, password });
export async function signOut() {
  const result = await call('sign_out');
  signedOut(null);
  return result;
}
export const requestPasswordCode = (email) => call('request_password_code', { email });
export const setPasswordWithCode = (email, code, password) => call('set_password_with_code', { email, code, password });
export const changePassword = (current, password) => call('change_password', { current, password });

// Password mail
export const sendPasswordMail = (id) => call('send_password_mail', { id });
export const sessionTimeout = () => call('session_timeout');
export const setSessionTimeout = (minutes) => call('set_session_timeout', { minutes });

// Mail
export const mailSettings = () => call('mail_settings');
export const saveMailSettings = (smtp, password) => call('save_mail_settings', { smtp, password });
export const sendTestMail = (to) => call('send_test_mail', { to });
export const outbox = (offset, limit) => call('outbox', { offset, limit });
export const retryMail = (id) => call('retry_mail', { id });

// Subscription
export const subscription = () => call('subscription');
export const restartSubscription = (seats, until) => call('restart_subscription', { seats, until });

// Review cycles
export const reviewCycles = () => call('review_cycles');
export const createReviewCycle = (cycle) => call('create_review_cycle', { cycle });
export const departments = () => call('departments');
export const startReviewCycle = (id) => call('start_review_cycle', { id });

// Merge (issue 4). `merge` opens the native confirmation dialog on the Rust
// side: it resolves to null when the person cancels there.
export const mergePreview = (source, destination) => call('merge_preview', { source, destination });
export const merge = (source, destination, fields) => call('merge', { source, destination, fields });

// Delete user and all data (issue 5). `erase_preview` changes nothing;
// `export_person` opens the native save dialog (null when cancelled); `erase`
// opens the native warning dialog on the Rust side and resolves to null when
// the person cancels there.
export const erasePreview = (ids) => call('erase_preview', { ids });
export const exportPerson = (id) => call('export_person', { id });
export const erase = (ids, confirmation) => call('erase', { ids, confirmation });

// HRIS sync (issue 6). `pick_key_file` and `pick_import_file` open the native
// open dialog on the Rust side and resolve to null when it is cancelled.
// `secret` (SFTP password or key passphrase): null keeps the stored one, ""
// removes it.
export const importSource = () => call('import_source');
export const saveImportSource = (settings, secret) => call('save_import_source', { settings, secret });
export const pickKeyFile = () => call('pick_key_file');
export const testImportConnection = () => call('test_import_connection');
export const acceptHostKey = (fingerprint) => call('accept_host_key', { fingerprint });
export const setAutomaticImports = (on) => call('set_automatic_imports', { on });
export const setImportInterval = (minutes) => call('set_import_interval', { minutes });
export const setImportRules = (rules) => call('set_import_rules', { rules });
export const importNow = () => call('import_now');
export const pickImportFile = () => call('pick_import_file');
export const planImportFile = (path) => call('plan_import_file', { path });
export const importFile = (path) => call('import_file', { path });
export const importRuns = (offset, limit) => call('import_runs', { offset, limit });
export const importRun = (id) => call('import_run', { id });
export const applyHeldImport = (id) => call('apply_held_import', { id });
export const discardHeldImport = (id) => call('discard_held_import', { id });
// Column mapping for HRIS exports that are not Roster's template: `mapping`
// null removes the saved one; `import_sample` reads a file's first lines
// with a mapping that is not saved (null: no mapping).
export const importMapping = () => call('import_mapping');
export const saveImportMapping = (mapping) => call('save_import_mapping', { mapping });
export const importSample = (path, mapping) => call('import_sample', { path, mapping });
export const setSyncHold = (id, until, reason) => call('set_sync_hold', { id, until, reason });
export const clearSyncHold = (id) => call('clear_sync_hold', { id });

// Tauri's window events (files dragged onto the window). Like `invoke`, the
// global `window.__TAURI__` is touched only here. Each returns a function that
// stops listening; outside the app (no Tauri) nothing is ever heard.
function listen(event, handler) {
  const subscribe = window.__TAURI__?.event?.listen;
  if (typeof subscribe !== 'function') return () => {};
  let stopped = false;
  let unlisten = null;
  Promise.resolve(subscribe(event, handler)).then((fn) => {
    if (stopped) fn?.();
    else unlisten = fn;
  }, () => {});
  return () => {
    stopped = true;
    unlisten?.();
    unlisten = null;
  };
}

// `handler(paths)` with the paths of the files dropped on the window.
export const onFileDrop = (handler) => listen('tauri://drag-drop', (e) => {
  const paths = e?.payload?.paths;
  handler(Array.isArray(paths) ? paths : []);
});

// `handler(true)` while files are dragged over the window, `handler(false)`
// when they leave it or are dropped.
export function onFileDrag(handler) {
  const stops = [
    listen('tauri://drag-enter', () => handler(true)),
    listen('tauri://drag-leave', () => handler(false)),
    listen('tauri://drag-drop', () => handler(false)),
  ];
  return () => { for (const stop of stops) stop(); };
}
