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
  container.replaceChildren(el('h2', {}, 'Sweeps'), live, table);

  const show = () => {
    const rows = [...statuses.values()].sort((a, b) => String(b.submittedAt).localeCompare(String(a.submittedAt)));
    body.replaceChildren(...rows.map(row));
    if (rows.length === 0) table.after(empty); else empty.remove();
    recordPlotted('list', Object.fromEntries(rows.map((s) => [s.sweepId, { phase: s.phase, done: s.succeeded + s.failed, total: s.totalUnits, failed: s.failed }])));
  };

  try {
    for (const status of await getJson('/api/sweeps', { signal })) statuses.set(status.sweepId, status);
  } catch (error) {
    if (signal.aborted) return;
    container.replaceChildren(problemView(error, { onToken: rerender }));
    return;
  }
  show();
  // The stream sends every sweep's status when it opens and each change after; it runs until the page leaves the list.
  readEvents('/api/events', (name, status) => {
    if (name !== 'status') return;
    statuses.set(status.sweepId, status);
    live.textContent = `live · updated ${new Date().toLocaleTimeString()}`;
    show();
  }, signal).then(() => { live.textContent = 'the live stream ended: reload to reconnect'; })
    .catch((error) => { if (!signal.aborted) live.replaceChildren(problemView(error, { onToken: rerender })); });
}

function row(status) {
  return el('tr', { 'data-testid': `sweep-row-${status.sweepId}`, 'data-phase': status.phase },
    el('td', {}, el('a', { href: sweepHash(status.sweepId), 'data-testid': 'sweep-link' }, status.sweepId)),
    el('td', {}, el('span', { class: `phase phase-${status.phase}` }, status.phase)),
    el('td', { class: 'progress-cell' }, progressBar(status)),
    el('td', { 'data-testid': 'units' }, progressText(status)),
    el('td', {}, status.unitsPerMinute > 0 ? `${formatNumber(status.unitsPerMinute, 3)}/min` : ''),
    el('td', { 'data-testid': 'follow' }, followText(status.follow)));
}
