// One sweep: its status header (live), the view tabs, the metric picker, and the chosen view. The sweep's event stream
// (GET /api/sweeps/{id}/events) updates the header on every status and reloads the view when units finish, so curves,
// heatmap and video grow while the sweep (or a following sweep) runs.
import { getJson, readEvents } from './api.js';
import { el } from './dom.js';
import { doneUnits, statusHeader } from './statusHeader.js';
import { problemView } from './problemView.js';
import { replaceHash, sweepHash, views } from './route.js';
import { renderCurves } from './curvesView.js';
import { renderHeatmap } from './heatmapView.js';
import { renderVideo } from './videoView.js';
import { renderSpectra, spectrumMetrics } from './spectraView.js';
import { renderMaps } from './mapsView.js';
import { renderFailures } from './failuresView.js';

const renderers = { curves: renderCurves, heatmap: renderHeatmap, video: renderVideo, spectra: renderSpectra, maps: renderMaps, failures: renderFailures };
const viewTitles = { curves: 'curves', heatmap: 'heatmap', video: 'video', spectra: 'spectra', maps: 'SID/RU maps', failures: 'failures' };
const metricViews = new Set(['curves', 'heatmap', 'video']);
const refreshMillis = 1000;

/** The metric a view shows: the one asked for (even one the sweep lacks: the API then says which it has), else the probe's test error, else the first. */
function chooseMetric(asked, metrics) {
  if (asked) return asked;
  const spectra = new Set(spectrumMetrics(metrics));
  const plain = metrics.map((m) => m.metric).filter((m) => ![...spectra].some((s) => m.startsWith(`${s}.l`)));
  return plain.find((m) => m === 'probe.test_error') ?? plain[0] ?? metrics[0]?.metric ?? '';
}

export class SweepPage {
  constructor(container, sweepId, rerender) {
    this.container = container;
    this.sweepId = sweepId;
    this.rerender = rerender;
    this.lifetime = new AbortController();
    this.viewLifetime = null;
    this.header = el('div');
    this.nav = el('nav', { class: 'tabs', 'data-testid': 'view-tabs' });
    this.toolbar = el('div', { class: 'toolbar metric-bar' });
    this.content = el('div', { class: 'view', 'data-testid': 'view' });
    this.live = el('p', { class: 'live', 'data-testid': 'live' });
    this.metrics = [];
    this.status = null;
    this.refreshTimer = null;
  }

  async open(params) {
    this.params = params;
    const signal = this.lifetime.signal;
    this.container.replaceChildren(el('p', { class: 'back' }, el('a', { href: '#/' }, '← all sweeps')), this.header, this.live, this.nav, this.toolbar, this.content);
    try {
      [this.status, this.metrics] = await Promise.all([
        getJson(`/api/sweeps/${encodeURIComponent(this.sweepId)}`, { signal }),
        getJson(`/api/sweeps/${encodeURIComponent(this.sweepId)}/metrics`, { signal }),
      ]);
    } catch (error) {
      if (signal.aborted) return;
      this.content.replaceChildren(problemView(error, { onToken: this.rerender }));
      this.content.dataset.state = 'problem';
      return;
    }
    this.header.replaceChildren(statusHeader(this.status));
    this.follow(signal);
    await this.show(params);
  }

  /** Another view or metric of the same sweep: the header and its stream stay. */
  async show(params) {
    this.params = params;
    const view = views.includes(params.view) ? params.view : 'curves';
    const metric = chooseMetric(params.metric, this.metrics);
    // The tabs are made once and updated in place, so a refresh does not swap them under the pointer.
    if (this.nav.children.length === 0) this.nav.append(...views.map((v) => el('a', { 'data-testid': `tab-${v}` }, viewTitles[v])));
    views.forEach((v, i) => {
      this.nav.children[i].setAttribute('href', sweepHash(this.sweepId, { ...params, view: v }));
      this.nav.children[i].className = v === view ? 'active' : '';
    });
    this.toolbar.replaceChildren();
    if (metricViews.has(view)) {
      const names = this.metrics.map((m) => m.metric);
      if (metric && !names.includes(metric)) names.push(metric);
      this.toolbar.append(el('label', {}, 'metric ', el('select', {
        'data-testid': 'metric-picker',
        onchange: (event) => this.navigate({ metric: event.target.value, frame: '' }),
      }, names.map((m) => el('option', { value: m, selected: m === metric }, m)))));
    }
    this.viewLifetime?.abort();
    this.viewLifetime = new AbortController();
    const signal = AbortSignal.any([this.lifetime.signal, this.viewLifetime.signal]);
    this.content.dataset.view = view;
    delete this.content.dataset.playing;
    this.content.dataset.state = 'loading';
    try {
      if (metricViews.has(view) && !metric) {
        this.content.replaceChildren(el('p', { class: 'empty', 'data-testid': 'no-metrics' }, `Sweep ${this.sweepId} has no values yet: they appear here as its units finish.`));
      } else {
        await renderers[view](this.content, {
          sweepId: this.sweepId, params, metric, metrics: this.metrics, signal,
          navigate: (changes) => this.navigate(changes),
          remember: (changes) => { this.params = { ...this.params, ...changes }; replaceHash(sweepHash(this.sweepId, this.params)); },
        });
      }
      if (!signal.aborted) this.content.dataset.state = 'ready';
    } catch (error) {
      if (signal.aborted) return;
      this.content.replaceChildren(problemView(error, { onToken: this.rerender }));
      this.content.dataset.state = 'problem';
    }
  }

  navigate(changes) {
    location.hash = sweepHash(this.sweepId, { ...this.params, ...changes });
  }

  /** Follows the sweep's events: the header on each status; the metrics and the view again (at most once a second) when units finish. */
  follow(signal) {
    this.live.textContent = this.status.phase === 'running' ? 'live: connecting…' : '';
    readEvents(`/api/sweeps/${encodeURIComponent(this.sweepId)}/events`, (name, data) => {
      if (name === 'checkpoint') return; // its numbers arrive with the refresh below
      const before = this.status;
      this.status = data;
      this.header.replaceChildren(statusHeader(data));
      this.live.textContent = name === 'end' ? '' : `live · updated ${new Date().toLocaleTimeString()}`;
      if (doneUnits(data) !== doneUnits(before) || data.phase !== before.phase) this.scheduleRefresh();
    }, signal).catch((error) => { if (!signal.aborted) this.live.replaceChildren(problemView(error, { onToken: this.rerender })); });
  }

  scheduleRefresh() {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(async () => {
      this.refreshTimer = null;
      if (this.lifetime.signal.aborted) return;
      // A playing video is not cut short: the new checkpoints join it once it is paused or done.
      if (this.content.dataset.playing === 'true') { this.scheduleRefresh(); return; }
      try {
        this.metrics = await getJson(`/api/sweeps/${encodeURIComponent(this.sweepId)}/metrics`, { signal: this.lifetime.signal });
      } catch {
        return; // the next status retries; a view keeps what it shows
      }
      await this.show(this.params);
    }, refreshMillis);
  }

  close() {
    this.lifetime.abort();
    clearTimeout(this.refreshTimer);
  }
}
