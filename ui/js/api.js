// The only module that talks to the Rust side: one function per command of
// docs/ipc-contract.md. Every rejection is a plain `{ code, message }`.

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
    throw normalise(err);
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
