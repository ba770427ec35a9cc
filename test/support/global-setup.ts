import { execFileSync } from 'node:child_process';

/**
 * Before any test: build the browser pages (scripts/build-web.mjs, a second or less) so every server a
 * test starts serves the pages of this checkout, never a stale or missing build.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-web.mjs'], { stdio: 'inherit' });
}
