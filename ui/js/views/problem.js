// Full-screen explanation when the workspace cannot be used (not a Roster file,
// from a newer Roster, read-only, open elsewhere). Nothing else is offered.
import { h, fill } from '../components/dom.js';

export function mountProblem(container, { problem, path }) {
  const title = problem?.title || 'Roster cannot open this workspace';
  const message = problem?.message || 'Something is wrong with the workspace file.';
  fill(container, h('main', { class: 'center-screen' },
    h('section', { class: 'card problem', role: 'alert', 'data-testid': 'problem' },
      h('div', { class: 'problem-icon', 'aria-hidden': 'true' }, '!'),
      h('h1', { class: 'page-title', 'data-testid': 'problem-title' }, title),
      h('p', { 'data-testid': 'problem-message' }, message),
      path && h('p', { class: 'problem-path' },
        h('span', { class: 'muted' }, 'Workspace: '),
        h('code', { 'data-testid': 'problem-path' }, path)))));
}
