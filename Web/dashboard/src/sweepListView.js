// Every sweep of the grid with its live progress: the list from GET /api/sweeps, then each change from GET /api/events.
import { getJson, readEvents } from './api.js';
import { el, formatNumber } from './dom.js';
import { followText, progressBar, progressText } from './statusHeader.js';
import { problemView } from './problemView.js';
import { recordPlotted } from './plotted.js';
import { sweepHash } from './route.js';

export async function renderSweepList(container, { signal, rerender }) {
  const statuses = new Map();
  const body = el('tbody');
  const table = el('table', { class: 'sweeps', 'data-testid': 'sweep-list' },
    el('thead', {}, el('tr', {}, ['sweep', 'phase', 'progress', 'units', 'rate', 'following'].map((h) => el('th', {}, h)))), body);
  const empty = el('p', { class: 'empty', 'data-testid': 'no-sweeps' }, 'No sweeps yet: submit one with `probegrid run SPEC` or POST /api/sweeps.');
  const live = el('p', { class: 'live', 'data-testid': 'live' }, 'connecting to live progress…');
  const view = el('div', { class: 'list', 'data-testid': 'view', 'data-view': 'list', 'data-state': 'loading' }, el('h2', {}, 'Sweeps'), live, table);
  container.replaceChildren(view);

  // Rows are updated in place (a status arrives each time a running sweep's numbers change): links stay put under the pointer.
  const rows = new Map();
  const show = () => {
    const ordered = [...statuses.values()].sort((a, b) => String(b.submittedAt).localeCompare(String(a.submittedAt)));
    for (const status of ordered) {
      if (!rows.has(status.sweepId)) rows.set(status.sweepId, newRow(status.sweepId));
      fillRow(rows.get(status.sweepId), status);
    }
    if (ordered.some((s, i) => body.children[i] !== rows.get(s.sweepId))) body.replaceChildren(...ordered.map((s) => rows.get(s.sweepId)));
    if (ordered.length === 0) table.after(empty); else empty.remove();
    recordPlotted('list', Object.fromEntries(ordered.map((s) => [s.sweepId, { phase: s.phase, done: s.succeeded + s.failed, total: s.totalUnits, failed: s.failed }])));
  };

  try {
    for (const status of await getJson('/api/sweeps', { signal })) statuses.set(status.sweepId, status);
  } catch (error) {
    if (signal.aborted) return;
    view.replaceChildren(problemView(error, { onToken: rerender }));
    view.dataset.state = 'problem';
    return;
  }
  show();
  view.dataset.state = 'ready';
  // The stream sends every sweep's status when it opens and each change after; it runs until the page leaves the list.
  readEvents('/api/events', (name, status) => {
    if (name !== 'status') return;
    statuses.set(status.sweepId, status);
    live.textContent = `live · updated ${new Date().toLocaleTimeString()}`;
    show();
  }, signal).then(() => { live.textContent = 'the live stream ended: reload to reconnect'; })
    .catch((error) => { if (!signal.aborted) live.replaceChildren(problemView(error, { onToken: rerender })); });
}

function newRow(sweepId) {
  return el('tr', { 'data-testid': `sweep-row-${sweepId}` },
    el('td', {}, el('a', { href: sweepHash(sweepId), 'data-testid': 'sweep-link' }, sweepId)), el('td'), el('td', { class: 'progress-cell' }),
    el('td', { 'data-testid': 'units' }), el('td'), el('td', { 'data-testid': 'follow' }));
}

function fillRow(row, status) {
  const [, phase, progress, units, rate, follow] = row.children;
  row.dataset.phase = status.phase;
  phase.replaceChildren(el('span', { class: `phase phase-${status.phase}` }, status.phase));
  progress.replaceChildren(progressBar(status));
  units.textContent = progressText(status, { rate: false });
  rate.textContent = status.unitsPerMinute > 0 ? `${formatNumber(status.unitsPerMinute, 3)}/min` : '';
  follow.textContent = followText(status.follow);
}
