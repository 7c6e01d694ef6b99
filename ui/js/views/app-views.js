// The screens after sign-in (and the first-run wizard), as one module: main.js loads it once the
// sign-in screen is up, so that the sign-in screen does not wait for their ~190 KB of modules.
export { mountWizard } from './wizard.js';
export { openChangePasswordDialog } from './change-password.js';
export { mountDirectory } from './directory.js';
export { mountProfile } from './profile.js';
export { mountMerge } from './merge.js';
export { mountErase } from './erase.js';
export { mountAudit } from './audit.js';
export { mountAdmin, ADMIN_PAGES } from './admin.js';
