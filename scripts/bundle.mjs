// Bundles the compiled CLI (dist/cli/main.js) into dist/bundle/ for `cams` (bin/cams.js). Start-up is
// measured (docs/PERFORMANCE.md): unbundled, Node resolves, reads and compiles ~500 ES modules (kysely alone
// ships 263), most of the service's cold start. The native driver and the optional stores stay external;
// dynamic imports (PostgreSQL, Redis) stay separate chunks, loaded only when configured.
import { build } from 'esbuild';

await build({
  // The checkpointer's worker thread is a file of its own, loaded by URL beside the bundle's chunks.
  entryPoints: { cams: 'dist/cli/main.js', 'checkpoint-worker': 'dist/store/sqlite/checkpoint-worker.js' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3', 'pg', 'ioredis'],
  // CommonJS dependencies bundled into ES modules call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __camsRequire } from 'node:module'; const require = __camsRequire(import.meta.url);",
  },
  sourcemap: true,
  logLevel: 'warning',
});
