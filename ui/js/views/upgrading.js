// While a workspace written by an older Roster migrates forward (seconds to
// minutes for a big company): what is happening, and where its copy as it was is
// kept. main.js replaces it when the backend says the upgrade is done.
import { h, fill } from '../components/dom.js';

export function mountUpgrading(container, { path, upgrade }) {
  fill(container, h('main', { class: 'center-screen' },
    h('section', { class: 'card problem', role: 'status', 'aria-live': 'polite', 'data-testid': 'upgrading' },
      h('h1', { class: 'page-title' }, 'Upgrading this workspace'),
      h('p', {},
        `This Roster is newer than the one that last used the workspace, so it is bringing it up to date ` +
        `(workspace version ${upgrade.from} to ${upgrade.to}). For a big company this takes a minute; ` +
        'Roster goes on by itself when it is done.'),
      h('progress', { class: 'indeterminate upgrade-progress', 'aria-label': 'Upgrading' }),
      h('p', { class: 'problem-path' },
        h('span', { class: 'muted' }, 'Workspace: '), h('code', {}, path)),
      h('p', { class: 'problem-path' },
        h('span', { class: 'muted' }, 'A copy of it as it was is kept at: '),
        h('code', { 'data-testid': 'upgrade-backup' }, upgrade.backup)))));
}
