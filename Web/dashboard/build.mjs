// Bundles the dashboard into ../wwwroot: index.html, dashboard.js (every module and uPlot in one file) and dashboard.css.
// Nothing is fetched at run time, so the page works offline. `node build.mjs` (the Web project's build runs it).
import { build } from 'esbuild';
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'wwwroot');

await mkdir(out, { recursive: true });
// Files of an older build go (a renamed bundle would linger and be served); .gitkeep stays.
for (const name of await readdir(out)) if (!name.startsWith('.')) await rm(join(out, name), { recursive: true, force: true });

await build({
  entryPoints: { dashboard: join(here, 'src', 'main.js') },
  bundle: true,
  format: 'esm',
  target: ['chrome110', 'firefox115', 'safari16'],
  minify: true,
  sourcemap: false,
  legalComments: 'eof',
  outdir: out,
  logLevel: 'warning',
});
await copyFile(join(here, 'src', 'index.html'), join(out, 'index.html'));
console.log(`dashboard: built ${(await readdir(out)).filter((n) => !n.startsWith('.')).join(', ')} into ${out}`);
