// Curves of one metric (GET /api/sweeps/{id}/curves): along layer, one line per checkpoint (the metric vs depth);
// along checkpoint, one line per layer (the metric over training).
import { getJson, number, query } from './api.js';
import { el } from './dom.js';
import { alignSeries, lineChart } from './lineChart.js';
import { orderedColor } from './colors.js';
import { recordPlotted } from './plotted.js';

export async function renderCurves(container, { sweepId, params, metric, navigate, signal }) {
  const along = params.along === 'checkpoint' ? 'checkpoint' : 'layer';
  const picker = el('label', {}, 'along ', el('select', {
    'data-testid': 'along-picker',
    onchange: (event) => navigate({ along: event.target.value }),
  }, ['layer', 'checkpoint'].map((a) => el('option', { value: a, selected: a === along }, a))));
  const chart = el('div', { class: 'chart', 'data-testid': 'curves-chart' });
  const caption = el('p', { class: 'caption' });
  container.replaceChildren(el('div', { class: 'toolbar' }, picker), chart, caption);

  const curve = await getJson(`/api/sweeps/${encodeURIComponent(sweepId)}/curves${query({ metric, along })}`, { signal });
  if (curve.series.length === 0) {
    chart.replaceChildren(el('p', { class: 'empty' }, `No values of ${metric} yet.`));
    return;
  }
  const { xs, ys, labels } = alignSeries(curve.series);
  lineChart(chart, {
    xs, ys, labels,
    names: curve.series.map((s) => s.name),
    strokes: curve.series.map((_, i) => orderedColor(i, curve.series.length)),
    xLabel: along === 'layer' ? 'layer' : 'training step',
    yLabel: metric,
    xTicks: along === 'layer',
  });
  caption.textContent = along === 'layer'
    ? `${metric} vs depth, one line per checkpoint (dark: early in training, light: late); mean over repeats.`
    : `${metric} over training, one line per layer (dark: shallow, light: deep); mean over repeats.`;
  recordPlotted('curves', {
    metric, along,
    series: curve.series.map((s) => ({ name: s.name, order: s.order, x: s.points.map((p) => number(p.x)), labels: s.points.map((p) => p.label), y: s.points.map((p) => number(p.mean)) })),
  });
}
