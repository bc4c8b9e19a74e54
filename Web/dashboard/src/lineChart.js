// Line charts on uPlot (a few thousand points draw in milliseconds): one shared x array, one y array per line, gaps as null.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { number } from './api.js';

/**
 * Lines from series of {name, points: [{x, label, mean}]} on a shared x: the union of their x, each line null where it has
 * no point. Returns {xs, ys, labels}: labels maps an x to its name (a layer's or a checkpoint's) for the axis.
 */
export function alignSeries(series) {
  const labels = new Map();
  for (const s of series) for (const p of s.points) labels.set(number(p.x), p.label);
  const xs = [...labels.keys()].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const ys = series.map((s) => {
    const y = new Array(xs.length).fill(null);
    for (const p of s.points) y[index.get(number(p.x))] = number(p.mean);
    return y;
  });
  return { xs, ys, labels };
}

/** The finite range of every y, padded a little, so an animation's axes stay put. */
export function yRangeOf(ys) {
  let min = Infinity;
  let max = -Infinity;
  for (const y of ys) for (const v of y) if (Number.isFinite(v)) { min = Math.min(min, v); max = Math.max(max, v); }
  if (!Number.isFinite(min)) return [0, 1];
  const pad = (max - min) * 0.05 || Math.abs(max) * 0.05 || 0.5;
  return [min - pad, max + pad];
}

/**
 * Draws a chart into container. names and strokes give each line; xTicks: ticks at the data's x with their labels (layers),
 * else numeric ticks; points: whether each line marks its points (default: when there are few); onDraw(u): after each draw; yRange / xRange fix the axes (the video). Returns the uPlot instance.
 */
export function lineChart(container, { xs, ys, names, strokes, widths, points, labels, xLabel, yLabel, xTicks = false, xRange, yRange, legend = true, height = 360, onDraw }) {
  const width = Math.max(320, Math.min(1100, container.clientWidth || 900));
  const opts = {
    width,
    height,
    legend: { show: legend, live: true },
    padding: [12, 48, null, null], // room on the right for the last x label
    cursor: { drag: { x: true, y: false } },
    hooks: onDraw ? { draw: [onDraw] } : {},
    scales: {
      x: { time: false, ...(xRange ? { range: xRange } : {}) },
      y: yRange ? { range: yRange } : { auto: true },
    },
    axes: [
      {
        label: xLabel,
        ...(xTicks ? { splits: () => xs, values: (u, splits) => splits.map((x) => labels?.get(x) ?? x), rotate: -30, size: 70 } : {}),
      },
      { label: yLabel, size: 70 },
    ],
    series: [
      { label: xLabel, value: (u, x) => (x === null ? '' : labels?.get(x) ?? x) },
      ...ys.map((_, i) => ({
        label: names[i],
        stroke: strokes[i],
        width: widths?.[i] ?? 1.5,
        spanGaps: false,
        points: { show: points?.[i] ?? xs.length <= 40, size: 5 },
      })),
    ],
  };
  container.replaceChildren();
  return new uPlot(opts, [xs, ...ys], container);
}
