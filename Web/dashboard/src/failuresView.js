// Failed units with their causes (GET /api/sweeps/{id}/failures): which checkpoint, layer, analysis and repeat, how many
// attempts, on which silo, and the cause as the grid recorded it.
import { getJson } from './api.js';
import { el } from './dom.js';
import { recordPlotted } from './plotted.js';

export async function renderFailures(container, { sweepId, signal }) {
  const failures = await getJson(`/api/sweeps/${encodeURIComponent(sweepId)}/failures`, { signal });
  recordPlotted('failures', failures.map((f) => ({ ...f.key, attempts: f.attempts, cause: f.cause })));
  if (failures.length === 0) {
    container.replaceChildren(el('p', { class: 'empty', 'data-testid': 'no-failures' }, `No unit of ${sweepId} has failed.`));
    return;
  }
  container.replaceChildren(
    el('p', { class: 'caption' }, `${failures.length} failed unit${failures.length === 1 ? '' : 's'}: a failed unit leaves a gap in the curves; fix the cause and submit the spec again to retry them.`),
    el('table', { class: 'failures', 'data-testid': 'failures-table' },
      el('thead', {}, el('tr', {}, ['checkpoint', 'layer', 'analysis', 'repeat', 'attempts', 'silo', 'cause'].map((h) => el('th', {}, h)))),
      el('tbody', {}, failures.map((f) => el('tr', { 'data-testid': 'failure-row' },
        el('td', {}, f.key.checkpoint), el('td', {}, f.key.layer), el('td', {}, f.key.analysis), el('td', {}, f.key.repeat),
        el('td', {}, f.attempts), el('td', {}, f.silo), el('td', { class: 'cause', 'data-testid': 'failure-cause' }, f.cause))))));
}
