// An error as the API wrote it: problem details' title, then every problem (or the detail), plainly.
import { el } from './dom.js';
import { ApiProblem } from './api.js';
import { keepToken, storedToken } from './token.js';

export function problemView(error, { onToken } = {}) {
  const problem = error instanceof ApiProblem ? error : new ApiProblem(0, 'The dashboard could not reach the API', String(error?.message ?? error), []);
  const box = el('section', { class: 'problem', 'data-testid': 'problem', 'data-status': problem.status },
    el('h3', { 'data-testid': 'problem-title' }, problem.title),
    problem.problems.length > 0
      ? el('ul', { 'data-testid': 'problem-list' }, problem.problems.map((p) => el('li', {}, p)))
      : problem.detail && el('p', { 'data-testid': 'problem-detail' }, problem.detail));
  if (problem.status === 401) box.append(tokenForm(onToken));
  return box;
}

/** Asks for the token a 401 names (the state folder's api-token, printed by `probegrid serve`), keeps it, and retries. */
function tokenForm(onToken) {
  const input = el('input', { type: 'password', name: 'token', autocomplete: 'off', placeholder: 'API token', 'data-testid': 'token-input', value: storedToken() });
  return el('form', {
    class: 'token-form',
    onsubmit: (event) => {
      event.preventDefault();
      keepToken(input.value);
      onToken?.();
    },
  }, el('label', {}, 'Token (printed by ', el('code', {}, 'probegrid serve'), '; kept for this tab only): ', input), el('button', { type: 'submit' }, 'Use token'));
}
