// Viridis (matplotlib's, sampled at 9 stops): ordered series (checkpoints in training order, layers in depth order) and
// heatmaps read from dark to light, as `probegrid plot` and `animate` draw them.
const stops = [
  [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141], [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37],
];

export function viridis(t) {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  return stops[i].map((c, k) => Math.round(c + (stops[i + 1][k] - c) * f));
}

export function rgba([r, g, b], alpha = 1) {
  return `rgba(${r},${g},${b},${alpha})`;
}

/** The colour of series i of n in order. */
export function orderedColor(i, n, alpha = 1) {
  return rgba(viridis(n <= 1 ? 0.1 : (i / (n - 1)) * 0.9), alpha);
}
