// The video (the probe paper's Figs. 5, 7, 8): the metric vs layer at one checkpoint, a slider over the checkpoints in
// training order with play/pause. The axes are fixed over the whole video and earlier checkpoints stay on faintly, as
// `probegrid animate` draws its frames. Frames are the series of GET /api/sweeps/{id}/curves?along=layer.
import { getJson, number, query } from './api.js';
import { el } from './dom.js';
import { alignSeries, lineChart, yRangeOf } from './lineChart.js';
import { orderedColor } from './colors.js';
import { recordPlotted } from './plotted.js';

const frameMillis = 700;

export async function renderVideo(container, { sweepId, params, metric, remember, signal }) {
  const curve = await getJson(`/api/sweeps/${encodeURIComponent(sweepId)}/curves${query({ metric, along: 'layer' })}`, { signal });
  const frames = curve.series;
  if (frames.length === 0) {
    container.replaceChildren(el('p', { class: 'empty' }, `No values of ${metric} yet: the video starts when the first checkpoint is analysed.`));
    return;
  }
  const { xs, ys, labels } = alignSeries(frames);
  // frame=N, or frame=last (and no frame): the newest checkpoint, which a live sweep moves on as checkpoints land.
  const asked = Number.parseInt(params.frame ?? '', 10);
  let frame = Number.isInteger(asked) ? Math.min(Math.max(asked, 0), frames.length - 1) : frames.length - 1;
  let timer = null;

  const slider = el('input', { type: 'range', min: 0, max: frames.length - 1, step: 1, value: frame, 'data-testid': 'video-slider', 'aria-label': 'checkpoint' });
  const play = el('button', { type: 'button', 'data-testid': 'video-play' }, 'play');
  const label = el('span', { class: 'frame-label', 'data-testid': 'video-frame-label' });
  const chart = el('div', { class: 'chart', 'data-testid': 'video-chart' });
  container.replaceChildren(
    el('div', { class: 'toolbar' }, play, slider, label),
    chart,
    el('p', { class: 'caption' }, `${metric} vs layer over training: the bold line is the checkpoint on the slider, earlier ones faint; axes fixed over the whole video.`));

  // Series 1..n: every checkpoint, faint up to the current one and hidden after it; series n+1: the current one, bold.
  const hidden = 'rgba(0,0,0,0)';
  const strokes = frames.map((_, i) => () => (i < frame ? orderedColor(i, frames.length, 0.25) : hidden));
  let drawnFaint = [];
  let drawnLine = [];
  const plot = lineChart(chart, {
    xs, labels,
    ys: [...ys, ys[frame]],
    names: [...frames.map((s) => s.name), 'current'],
    strokes: [...strokes, '#c0392b'],
    widths: [...frames.map(() => 1.2), 3],
    points: [...frames.map(() => false), true],
    xLabel: 'layer', yLabel: metric, xTicks: true, legend: false,
    xRange: [xs[0] - 0.3, xs[xs.length - 1] + 0.3],
    yRange: yRangeOf(ys),
    // What the last draw put on the canvas (uPlot draws after a microtask): the checkpoints drawn faint and the bold line's
    // points, for the tests, which compare them with the API's.
    onDraw: (u) => {
      drawnFaint = u.series.slice(1, -1).filter((s) => s._stroke && s._stroke !== hidden).map((s) => s.label);
      drawnLine = u.data[0].map((x, i) => [x, u.data[u.data.length - 1][i]]).filter(([, y]) => y !== null);
      if (window.__probegrid?.video) Object.assign(window.__probegrid.video, { faint: drawnFaint, drawn: drawnLine });
    },
  });

  const show = (next) => {
    frame = next;
    slider.value = String(frame);
    const s = frames[frame];
    label.textContent = `${s.name} · step ${s.order} · frame ${frame + 1} of ${frames.length}`;
    plot.setData([xs, ...ys, ys[frame]]); // redraws (with false uPlot would not); the fixed ranges keep the axes
    chart.dataset.frame = String(frame);
    container.dataset.playing = String(timer !== null); // the sweep's page holds live refreshes while it plays
    chart.dataset.checkpoint = s.name;
    remember({ frame: frame === frames.length - 1 ? 'last' : frame });
    recordPlotted('video', {
      metric, frame, frames: frames.length, checkpoint: s.name, step: s.order, playing: timer !== null, faint: drawnFaint, drawn: drawnLine,
      x: s.points.map((p) => number(p.x)), labels: s.points.map((p) => p.label), y: s.points.map((p) => number(p.mean)),
      xRange: plot.scales.x.min === undefined ? null : [plot.scales.x.min, plot.scales.x.max],
      yRange: [plot.scales.y.min, plot.scales.y.max],
    });
  };
  const pause = () => {
    clearInterval(timer);
    timer = null;
    play.textContent = 'play';
    show(frame);
  };
  slider.addEventListener('input', () => { if (timer) pause(); show(Number(slider.value)); });
  play.addEventListener('click', () => {
    if (timer) { pause(); return; }
    if (frame === frames.length - 1) show(0);
    play.textContent = 'pause';
    timer = setInterval(() => {
      if (frame >= frames.length - 1) pause(); else show(frame + 1);
    }, frameMillis);
    show(frame);
  });
  signal.addEventListener('abort', () => clearInterval(timer));
  show(frame);
}
