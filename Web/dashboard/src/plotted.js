// What each view plots, exactly, for tests and for the curious (window.__probegrid in the browser's console):
// tests compare these numbers with the API's, never pixels.
export function recordPlotted(view, value) {
  window.__probegrid ??= {};
  window.__probegrid[view] = value;
  window.__probegrid.renders = (window.__probegrid.renders ?? 0) + 1;
}
