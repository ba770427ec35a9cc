// Bundles the browser pages (web/) into dist/public/ for the server's web route (src/web/): content-hashed
// file names, so the server can tell browsers to cache them forever, and a manifest that maps each entry
// to its hashed file. Preact + htm need no JSX step; esbuild does the rest
// (architecture.md, "The web pages"). Everything is bundled: the pages load nothing from another origin.
import { build } from 'esbuild';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist/public');

/** The pages' entry points: the name each is known by in the manifest. */
export const ENTRIES = {
  explorer: 'web/explorer/main.ts',
  console: 'web/console/main.ts',
  style: 'web/shared/style.css',
};

export async function buildWeb({ quiet = false } = {}) {
  // Built in place, never emptied first: a server already running from this directory keeps finding
  // the files its pages name (the names are content hashes, so a rebuild rewrites the same files).
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: ENTRIES,
    outdir,
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    minify: true,
    sourcemap: 'linked',
    metafile: true,
    logLevel: quiet ? 'error' : 'warning',
  });
  const manifest = {};
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (output.entryPoint === undefined) continue;
    const name = Object.keys(ENTRIES).find((key) => ENTRIES[key] === output.entryPoint);
    if (name !== undefined) manifest[`${name}${path.extname(file)}`] = path.basename(file);
  }
  const file = path.join(outdir, 'manifest.json');
  writeFileSync(`${file}.${process.pid}`, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(`${file}.${process.pid}`, file);
  return manifest;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildWeb();
