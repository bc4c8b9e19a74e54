// Complexity spectra (GET /api/spectra): a per-order metric (complexity.significance.l4, ...) vs the order l, one line per
// checkpoint and layer; the sweep's last checkpoint unless "every checkpoint" is ticked. Offered only for per-order metrics.
import { getJson, number, query } from './api.js';
import { el } from './dom.js';
import { alignSeries, lineChart } from './lineChart.js';
import { orderedColor } from './colors.js';
import { recordPlotted } from './plotted.js';

/** The spectra a sweep's metrics make: "complexity.significance" for complexity.significance.l1, .l4, ... */
export function spectrumMetrics(metrics) {
  const bases = new Set();
  for (const m of metrics) {
    const match = /^(.+)\.l\d+$/.exec(m.metric);
    if (match) bases.add(match[1]);
  }
  return [...bases].sort();
}

export async function renderSpectra(container, { sweepId, params, metrics, navigate, signal }) {
  const available = spectrumMetrics(metrics);
  if (available.length === 0) {
    container.replaceChildren(el('p', { class: 'empty', 'data-testid': 'no-spectra' },
      `Sweep ${sweepId} has no complexity spectra: they come from a 'complexity' analysis (per-order metrics such as complexity.significance.l4)${metrics.length ? '' : ', and it has no values yet'}.`));
    return;
  }
  const metric = available.includes(params.spectrum) ? params.spectrum : available.includes('complexity.significance') ? 'complexity.significance' : available[0];
  const all = params.all === 'true';
  const chart = el('div', { class: 'chart', 'data-testid': 'spectra-chart' });
  container.replaceChildren(
    el('div', { class: 'toolbar' },
      el('label', {}, 'spectrum ', el('select', { 'data-testid': 'spectrum-picker', onchange: (e) => navigate({ spectrum: e.target.value }) },
        available.map((m) => el('option', { value: m, selected: m === metric }, m)))),
      el('label', {}, el('input', { type: 'checkbox', checked: all, 'data-testid': 'all-checkpoints', onchange: (e) => navigate({ all: e.target.checked ? 'true' : '' }) }), ' every checkpoint')),
    chart,
    el('p', { class: 'caption' }, `${metric} vs the interaction order l, one line per checkpoint and layer (${all ? 'every checkpoint' : 'the last checkpoint'}).`));
  const curve = await getJson(`/api/spectra${query({ sweep: sweepId, metric, 'all-checkpoints': all ? 'true' : '' })}`, { signal });
  const { xs, ys, labels } = alignSeries(curve.series);
  lineChart(chart, {
    xs, ys, labels,
    names: curve.series.map((s) => s.name),
    strokes: curve.series.map((_, i) => orderedColor(i, curve.series.length)),
    xLabel: 'order l', yLabel: metric, xTicks: true,
  });
  recordPlotted('spectra', {
    metric, series: curve.series.map((s) => ({ name: s.name, x: s.points.map((p) => number(p.x)), y: s.points.map((p) => number(p.mean)) })),
  });
}
