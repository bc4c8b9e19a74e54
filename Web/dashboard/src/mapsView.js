// Per-pixel SID / RU maps beside their inputs (GET /api/sweeps/{id}/maps): for each test sample of the chosen checkpoint,
// the input, then the chosen kind's map at every layer in depth order, each drawn to a canvas (nearest-neighbour, scaled
// up whole pixels). Inputs in grey, maps in viridis over each map's own range (printed under it).
import { ApiProblem, getJson, number, query } from './api.js';
import { el, formatNumber } from './dom.js';
import { rgba, viridis } from './colors.js';
import { recordPlotted } from './plotted.js';

const displayPixels = 160;

export async function renderMaps(container, { sweepId, params, navigate, signal }) {
  const kind = params.kind === 'ru' ? 'ru' : 'sid';
  const sweep = `/api/sweeps/${encodeURIComponent(sweepId)}`;
  // Maps are large (a 224x224 map is 400 KB of JSON): only the shown checkpoint's are loaded. The checkpoints that have
  // them are those with SID values, in training order, from the heatmap of a SID metric.
  const metrics = await getJson(`${sweep}/metrics`, { signal });
  const sidMetric = metrics.find((m) => m.family === 'sid')?.metric;
  let checkpoints = [];
  if (sidMetric) {
    const heat = await getJson(`${sweep}/heatmap${query({ metric: sidMetric })}`, { signal });
    checkpoints = heat.checkpoints.filter((_, i) => heat.values[i].some((v) => v !== null));
  }
  const checkpoint = checkpoints.includes(params.checkpoint) ? params.checkpoint : checkpoints[checkpoints.length - 1];
  let maps;
  try {
    // Every kind with the inputs: a kind filter would leave the inputs out.
    maps = await getJson(`${sweep}/maps${query({ checkpoint })}`, { signal });
  } catch (error) {
    // A sweep without a discarding analysis has no maps: the API says which analysis makes them.
    if (!(error instanceof ApiProblem) || error.status !== 400) throw error;
    container.replaceChildren(el('div', { class: 'empty', 'data-testid': 'no-maps' },
      el('p', {}, `Sweep ${sweepId} has no per-pixel maps to show.`), el('ul', {}, (error.problems.length ? error.problems : [error.detail]).map((p) => el('li', {}, p)))));
    recordPlotted('maps', []);
    return;
  }
  const inputs = maps.filter((m) => m.kind === 'input');
  const layered = maps.filter((m) => m.kind === kind);
  if (checkpoint === undefined || layered.length === 0) {
    container.replaceChildren(el('p', { class: 'empty', 'data-testid': 'no-maps' }, `No ${kind.toUpperCase()} maps of ${sweepId} yet: maps come with each finished discarding unit.`));
    recordPlotted('maps', []);
    return;
  }
  const samples = [...new Set(layered.map((m) => `${m.repeat}:${m.sample}`))];
  const drawn = [];
  const rows = samples.map((key) => {
    const [repeat, sample] = key.split(':').map(Number);
    const input = inputs.find((m) => m.repeat === repeat && m.sample === sample) ?? inputs.find((m) => m.sample === sample);
    const layers = layered.filter((m) => m.repeat === repeat && m.sample === sample).sort((a, b) => a.layerIndex - b.layerIndex);
    const panels = [input && panel(input, 'input', drawn), ...layers.map((m) => panel(m, m.layer, drawn))];
    return el('div', { class: 'map-row', 'data-testid': 'map-row' },
      el('h4', {}, `sample ${sample} (label ${input?.label ?? '?'}), repeat ${repeat}`), el('div', { class: 'map-panels' }, panels));
  });
  container.replaceChildren(
    el('div', { class: 'toolbar' },
      el('label', {}, 'checkpoint ', el('select', { 'data-testid': 'map-checkpoint', onchange: (e) => navigate({ checkpoint: e.target.value }) },
        checkpoints.map((c) => el('option', { value: c, selected: c === checkpoint }, c)))),
      el('label', {}, 'map ', el('select', { 'data-testid': 'map-kind', onchange: (e) => navigate({ kind: e.target.value }) },
        [['sid', 'SID (pixel-wise information discarded)'], ['ru', 'RU (its reconstruction uncertainty)']].map(([v, t]) => el('option', { value: v, selected: v === kind }, t))))),
    el('p', { class: 'caption' }, `${kind.toUpperCase()} at ${checkpoint}: each test sample beside its map at every layer (shallow to deep).`),
    ...rows);
  recordPlotted('maps', drawn);
}

function panel(map, title, drawn) {
  const values = map.values.map(number);
  const finite = values.filter(Number.isFinite);
  const [min, max] = finite.length ? [Math.min(...finite), Math.max(...finite)] : [0, 1];
  const scale = Math.max(1, Math.floor(displayPixels / Math.max(map.width, map.height)));
  const canvas = el('canvas', {
    width: map.width * scale, height: map.height * scale, 'data-testid': `map-canvas-${map.kind}`,
    'data-layer': map.layer, 'data-sample': map.sample, 'data-width': map.width, 'data-height': map.height,
  });
  const g = canvas.getContext('2d');
  const image = g.createImageData(map.width, map.height);
  values.forEach((v, i) => {
    const t = max > min && Number.isFinite(v) ? (v - min) / (max - min) : 0;
    const [r, gr, b] = map.kind === 'input' ? [255 * t, 255 * t, 255 * t] : viridis(t);
    image.data.set([r, gr, b, 255], i * 4);
  });
  // Nearest-neighbour scaling: draw at 1:1 on a scratch canvas, then scale up without smoothing.
  const scratch = document.createElement('canvas');
  scratch.width = map.width;
  scratch.height = map.height;
  scratch.getContext('2d').putImageData(image, 0, 0);
  g.imageSmoothingEnabled = false;
  g.drawImage(scratch, 0, 0, canvas.width, canvas.height);
  drawn.push({ checkpoint: map.checkpoint, layer: map.layer, sample: map.sample, repeat: map.repeat, kind: map.kind, width: map.width, height: map.height, scale, min, max });
  return el('figure', { class: 'map-panel' }, canvas,
    el('figcaption', {}, title, el('br'), map.kind === 'input' ? '' : `${formatNumber(min, 3)} … ${formatNumber(max, 3)}`,
      el('span', { class: 'colour-ramp small', style: map.kind === 'input' ? 'background:linear-gradient(to right,#000,#fff)' : `background:linear-gradient(to right,${[0, 0.5, 1].map((t) => rgba(viridis(t))).join(',')})` })));
}
