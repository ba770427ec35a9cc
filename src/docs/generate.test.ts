import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_DOCS } from './generate.js';

describe('generated docs', () => {
  for (const [file, render] of Object.entries(GENERATED_DOCS)) {
    it(`${file} matches the code (run npm run docs when this fails)`, () => {
      expect(readFileSync(file, 'utf8')).toBe(render());
    });
  }
});
