// Deep links: #/ is the sweeps list, #/sweeps/ID?view=video&metric=probe.test_error&frame=2 one sweep's view.
export const views = ['curves', 'heatmap', 'video', 'spectra', 'maps', 'failures'];

export function parseRoute(hash = location.hash) {
  const text = hash.replace(/^#/, '') || '/';
  const [path, search = ''] = text.split('?', 2);
  const params = Object.fromEntries(new URLSearchParams(search));
  const match = /^\/sweeps\/([^/]+)\/?$/.exec(path);
  if (match) return { page: 'sweep', sweepId: decodeURIComponent(match[1]), params: { view: 'curves', ...params } };
  return { page: 'list', params };
}

export function sweepHash(sweepId, params = {}) {
  const search = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString();
  return `#/sweeps/${encodeURIComponent(sweepId)}${search ? `?${search}` : ''}`;
}

/** Writes the hash without a hashchange (no re-render): for state a view already shows, such as the video's frame. */
export function replaceHash(hash) {
  history.replaceState(null, '', hash);
}
