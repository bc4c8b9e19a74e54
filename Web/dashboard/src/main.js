// The dashboard's entry: the hash router between the sweeps list and a sweep's page.
import './style.css';
import { parseRoute } from './route.js';
import { renderSweepList } from './sweepListView.js';
import { SweepPage } from './sweepView.js';

const root = document.getElementById('app');
let page = null; // { kind: 'list', lifetime } or { kind: 'sweep', sweep: SweepPage }

function route() {
  const next = parseRoute();
  if (next.page === 'sweep' && page?.kind === 'sweep' && page.sweep.sweepId === next.sweepId) {
    page.sweep.show(next.params);
    return;
  }
  close();
  if (next.page === 'sweep') {
    const sweep = new SweepPage(root, next.sweepId, rerender);
    page = { kind: 'sweep', sweep };
    sweep.open(next.params);
  } else {
    const lifetime = new AbortController();
    page = { kind: 'list', lifetime };
    renderSweepList(root, { signal: lifetime.signal, rerender });
  }
}

function close() {
  if (page?.kind === 'sweep') page.sweep.close();
  if (page?.kind === 'list') page.lifetime.abort();
  page = null;
}

/** After a token is given: everything again, with it. */
function rerender() {
  close();
  route();
}

window.addEventListener('hashchange', route);
route();
