import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The browser pages' built files (scripts/build-web.mjs writes them to dist/public/ with a manifest).
 * The package root is found by walking up from this module, so the same code serves them from src/
 * (tests), dist/ (tsc) and dist/bundle/ (the installed `cams`).
 */
export interface WebAssets {
  /** The package root: README.md and docs/ are served from there. */
  readonly root: string;
  readonly dir: string;
  /** Entry name (`explorer.js`, `style.css`) to hashed file name; undefined when not built. */
  readonly manifest: Readonly<Record<string, string>> | undefined;
}

const PACKAGE_NAME = 'cams-server';

export function packageRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
      if (name === PACKAGE_NAME) return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`the ${PACKAGE_NAME} package root was not found`);
  }
}

export function loadWebAssets(root: string = packageRoot()): WebAssets {
  const dir = path.join(root, 'dist', 'public');
  const file = path.join(dir, 'manifest.json');
  const manifest = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>)
    : undefined;
  return { root, dir, manifest };
}

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export function contentType(file: string): string | undefined {
  return TYPES[path.extname(file)];
}
