/**
 * Every `CAMS_` environment variable named in the code or the docs is declared in src/config-vars.ts,
 * which docs/configuration.md is generated from: a variable read somewhere without a declaration (so
 * missing from the table), or a doc naming one that does not exist, fails here with file:line.
 *
 * Not variables of the service: constants of the code (`const CAMS_ACTIONS`), the test suites' own
 * `CAMS_TEST_*`, the settings the scripts of examples/ read (`CAMS_ENDPOINT`), and a prefix written as
 * `CAMS_SIM_*`, which must be the prefix of a declared variable.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARS } from '../../src/config-vars.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TESTS = /(\.test\.ts|[/\\]test-support\.ts|[/\\]testing\.ts)$/;

/** `file:line name` for every CAMS_ name in `text` that is neither declared nor excused. */
function undeclared(
  file: string,
  text: string,
  declared: ReadonlySet<string>,
  constants: ReadonlySet<string>,
): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const [name] of line.matchAll(/\bCAMS_[A-Z0-9_]+/g)) {
      if (constants.has(name) || name.startsWith('CAMS_TEST_')) continue;
      const ok = name.endsWith('_') ? [...declared].some((d) => d.startsWith(name)) : declared.has(name);
      if (!ok) found.push(`${file}:${i + 1} ${name}`);
    }
  });
  return found;
}

/** Names the code declares as its own constants (`const CAMS_ACTIONS = ...`). */
function codeConstants(text: string): string[] {
  return [...text.matchAll(/\b(?:const|let|var|function|class|enum)\s+(CAMS_[A-Z0-9_]+)/g)].map((m) => m[1]!);
}

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && ext.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

describe('undeclared CAMS_ variables', () => {
  const declared = new Set(['CAMS_PORT', 'CAMS_SIM_CODE_TTL_SECONDS']);

  it('finds a name that is not declared, with its line', () => {
    const text = "const a = env.CAMS_PORT;\nconst b = process.env.CAMS_PORTS ?? '1';";
    expect(undeclared('x.ts', text, declared, new Set())).toEqual(['x.ts:2 CAMS_PORTS']);
  });

  it('accepts a prefix of a declared name, the code constants and CAMS_TEST_*', () => {
    const text = 'CAMS_SIM_* tune it; CAMS_ACTIONS; CAMS_TEST_DATABASE_URL; CAMS_META_*';
    expect(undeclared('x.md', text, declared, new Set(['CAMS_ACTIONS']))).toEqual(['x.md:1 CAMS_META_']);
  });

  it('knows a constant of the code from a variable', () => {
    expect(codeConstants('export const CAMS_ACTIONS = [];\nconst CAMS_NAMES = {};\nenv.CAMS_PORT')).toEqual([
      'CAMS_ACTIONS',
      'CAMS_NAMES',
    ]);
  });

  it('src/, bin/, scripts/, README.md and docs/ name only declared variables', () => {
    const code = [
      ...files('src', /\.(ts|js|mjs)$/),
      ...files('bin', /\.(js|mjs)$/),
      ...files('scripts', /\.m?js$/),
    ]
      .filter((f) => !TESTS.test(f))
      .map((f) => [f, readFileSync(path.join(ROOT, f), 'utf8')] as const);
    const docs = ['README.md', ...files('docs', /\.md$/)].map(
      (f) => [f, readFileSync(path.join(ROOT, f), 'utf8')] as const,
    );
    // The examples' own settings (where they find the server and its demo credentials), read there.
    const exampleSettings = files('examples', /\.mjs$/).flatMap((f) =>
      [...readFileSync(path.join(ROOT, f), 'utf8').matchAll(/\benv\.(CAMS_[A-Z0-9_]+)/g)].map((m) => m[1]!),
    );
    const constants = new Set([...code.flatMap(([, text]) => codeConstants(text)), ...exampleSettings]);
    const names = new Set(Object.keys(CONFIG_VARS));
    const problems = [...code, ...docs].flatMap(([f, text]) => undeclared(f, text, names, constants));
    expect(problems).toEqual([]);
    // The scan does see the code: the variables config.ts reads appear in src/.
    expect(code.some(([f]) => f === path.join('src', 'config-vars.ts'))).toBe(true);
  });
});
