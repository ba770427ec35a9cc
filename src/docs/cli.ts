import { readFileSync, writeFileSync } from 'node:fs';
import { GENERATED_DOCS } from './generate.js';

/** `npm run docs` writes the generated docs; `npm run docs:check` fails when they are stale. */
const check = process.argv.includes('--check');
let stale = 0;
for (const [file, render] of Object.entries(GENERATED_DOCS)) {
  const text = render();
  if (check) {
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = '';
    }
    if (current !== text) {
      process.stderr.write(`${file} is out of date: run npm run docs\n`);
      stale++;
    }
  } else {
    writeFileSync(file, text);
  }
}
process.exitCode = stale > 0 ? 1 : 0;
