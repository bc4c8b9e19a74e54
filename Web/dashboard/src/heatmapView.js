// The checkpoint x layer matrix of one metric (GET /api/sweeps/{id}/heatmap): rows in training order, columns in depth
// order, drawn cell by cell on a canvas with viridis over the finite range; a cell with no value yet stays blank.
import { getJson, number, query } from './api.js';
import { el, formatNumber } from './dom.js';
import { rgba, viridis } from './colors.js';
import { recordPlotted } from './plotted.js';

export async function renderHeatmap(container, { sweepId, metric, signal }) {
  const map = await getJson(`/api/sweeps/${encodeURIComponent(sweepId)}/heatmap${query({ metric })}`, { signal });
  const values = map.values.map((row) => row.map(number));
  if (map.checkpoints.length === 0) {
    container.replaceChildren(el('p', { class: 'empty' }, `No values of ${metric} yet.`));
    return;
  }
  const finite = values.flat().filter((v) => Number.isFinite(v));
  const [min, max] = finite.length ? [Math.min(...finite), Math.max(...finite)] : [0, 1];
  const cell = { w: Math.max(24, Math.min(80, Math.floor(760 / map.layers.length))), h: Math.max(6, Math.min(28, Math.floor(480 / map.checkpoints.length))) };
  const left = 130;
  const bottom = 70;
  const canvas = el('canvas', { 'data-testid': 'heatmap-canvas', width: left + cell.w * map.layers.length + 10, height: cell.h * map.checkpoints.length + bottom + 10 });
  const g = canvas.getContext('2d');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, canvas.width, canvas.height);
  values.forEach((row, i) => row.forEach((v, j) => {
    if (v === null) return;
    g.fillStyle = Number.isFinite(v) ? rgba(viridis(max > min ? (v - min) / (max - min) : 0.5)) : '#d33';
    g.fillRect(left + j * cell.w, 5 + i * cell.h, cell.w, cell.h);
  }));
  g.fillStyle = '#222';
  g.font = '11px sans-serif';
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  const labelEvery = Math.ceil(12 / cell.h);
  map.checkpoints.forEach((c, i) => { if (i % labelEvery === 0 || i === map.checkpoints.length - 1) g.fillText(c, left - 6, 5 + (i + 0.5) * cell.h); });
  map.layers.forEach((layer, j) => {
    g.save();
    g.translate(left + (j + 0.5) * cell.w, 10 + cell.h * map.checkpoints.length);
    g.rotate(-Math.PI / 4);
    g.fillText(layer, 0, 0);
    g.restore();
  });
  canvas.addEventListener('mousemove', (event) => {
    const rect = canvas.getBoundingClientRect();
    const j = Math.floor((event.clientX - rect.left - left) / cell.w);
    const i = Math.floor((event.clientY - rect.top - 5) / cell.h);
    canvas.title = i >= 0 && j >= 0 && i < values.length && j < map.layers.length && values[i][j] !== null
      ? `${map.checkpoints[i]} (step ${map.steps[i]}) · ${map.layers[j]}: ${formatNumber(values[i][j], 6)}` : '';
  });
  const scale = el('div', { class: 'colour-scale' }, el('span', {}, formatNumber(min)),
    el('span', { class: 'colour-ramp', style: `background:linear-gradient(to right,${[0, 0.25, 0.5, 0.75, 1].map((t) => rgba(viridis(t))).join(',')})` }),
    el('span', {}, formatNumber(max)));
  container.replaceChildren(
    el('p', { class: 'caption' }, `${metric}: checkpoints (rows, training order) x layers (columns, depth order); hover a cell for its value. Red: not finite.`),
    canvas, scale);
  recordPlotted('heatmap', { metric, checkpoints: map.checkpoints, steps: map.steps, layers: map.layers, values });
}
