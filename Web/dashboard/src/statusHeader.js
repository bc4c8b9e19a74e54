// A sweep's progress as a line of text and a bar: units done of total, failed, running, rate, phase, and for a sweep
// that follows a training run, its backlog and newest analysed checkpoint. The list and the sweep's header share it.
import { el, formatNumber } from './dom.js';

export function doneUnits(status) {
  return status.succeeded + status.failed;
}

export function progressBar(status) {
  const done = doneUnits(status);
  const fraction = status.totalUnits > 0 ? done / status.totalUnits : 0;
  return el('div', {
    class: `progress phase-${status.phase}`, role: 'progressbar', 'data-testid': 'progress',
    'data-done': done, 'data-total': status.totalUnits, 'aria-valuemin': 0, 'aria-valuemax': status.totalUnits, 'aria-valuenow': done,
  }, el('div', { class: 'progress-fill', style: `width:${(100 * fraction).toFixed(1)}%` }),
  status.failed > 0 && el('div', { class: 'progress-failed', style: `width:${(100 * status.failed / Math.max(1, status.totalUnits)).toFixed(1)}%` }));
}

/** Units done of total, failed, running; with the rate unless the caller shows it apart (the list's own column). */
export function progressText(status, { rate = true } = {}) {
  const parts = [`${doneUnits(status)} of ${status.totalUnits} units`];
  if (status.failed > 0) parts.push(`${status.failed} failed`);
  if (status.running > 0) parts.push(`${status.running} running`);
  if (rate && status.unitsPerMinute > 0) parts.push(`${formatNumber(status.unitsPerMinute, 3)} units/min`);
  return parts.join(' · ');
}

export function followText(follow) {
  if (!follow) return '';
  const parts = [`${follow.landed} checkpoints landed`, `${follow.analysed} analysed`, `backlog ${follow.backlog}`];
  if (follow.newestAnalysed) parts.push(`newest analysed ${follow.newestAnalysed}`);
  if (follow.waitingToSettle > 0) parts.push(`${follow.waitingToSettle} settling`);
  parts.push(follow.end === 'none' ? 'following' : `stopped following (${follow.end})`);
  return parts.join(' · ');
}

export function statusHeader(status) {
  return el('header', { class: 'status-header', 'data-testid': 'status-header', 'data-phase': status.phase },
    el('h2', {}, status.sweepId, ' ', el('span', { class: `phase phase-${status.phase}`, 'data-testid': 'phase' }, status.phase)),
    progressBar(status),
    el('p', { class: 'progress-text', 'data-testid': 'progress-text' }, progressText(status)),
    status.follow && el('p', { class: 'follow-text', 'data-testid': 'follow-text' }, followText(status.follow)));
}
