// Bundles the server into dist/kaifang.mjs, which `npm start` runs with plain Node.
//
// Why a bundle: running the TypeScript sources through tsx keeps tsx's loader thread and
// its transform caches in every server process, about 50 MiB of resident memory
// (docs/benchmarks.md). esbuild (already what tsx uses underneath) builds the bundle in
// about a second, so `npm start` rebuilds every time and never runs stale code.
// Dependencies stay external: they load from node_modules as usual.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: ['src/main.ts'],
  outfile: 'dist/kaifang.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
