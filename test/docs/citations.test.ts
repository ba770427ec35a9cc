/**
 * Keeps the project's citations honest. Code and docs may only cite what the repository contains:
 *
 * - a section citation `§N` names its document (`cams-api.md §2.2.1`), and that document is found under
 *   docs/ by its file name and has a heading numbered N. Inside docs/reference/ a bare `§N` means the file
 *   itself. A citation of an RFC (`RFC 9110 §10.2.3`) is outside the repository and not checked. In a list
 *   or range (`cams-api.md §2.2.1 step 6, §2.2.2 step 4`, `§1.3-§1.6`) the later sections inherit the name;
 * - `architecture.md, "Scale-out"` names a heading of docs/architecture.md;
 * - a relative link `](path)` in README.md or docs/ points to an existing file;
 * - nothing under src/ refers to an issue-tracker item (`issue 5`): the reason is written out instead;
 * - nothing mentions documents outside the repository (`../shared`, the old design and style notes).
 *
 * The scanning is done by the small pure functions below, each tested on inline fixtures; the last test
 * runs them over the real tree and names file:line of every problem.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

interface Citation {
  readonly line: number;
  /** The section number, e.g. `2.2.1`. */
  readonly section: string;
  /** The document's file name as written (`cams-api.md`), `RFC` for an RFC, undefined when unnamed. */
  readonly doc: string | undefined;
}

/** A document that can be cited: its path relative to the root, its numbered sections and its headings. */
interface CitableDoc {
  readonly path: string;
  readonly sections: ReadonlySet<string>;
  readonly headings: ReadonlySet<string>;
}

const SECTION = /§ ?(\d+(?:\.\d+)*)/g;
/** `cams-api.md §`, or the same as a markdown link: `[cams-api.md](cams-api.md) §`. */
const NAMED_BEFORE = /(?:([\w-]+\.md)|\]\((?:[^)\s]*\/)?([\w-]+\.md)(?:#[^)\s]*)?\)) ?$/;
const RFC_BEFORE = /\bRFC ?\d+ ?$/;
/** What may stand between two sections of one list or range, after steps, items and quotes are removed. */
const LIST_GAP = /^[\s,;/()–-]*$/;

/** Whether `gap` only joins two citations of the same list (`, `, ` and `, `-`, ` step 6 / `). */
function isListGap(gap: string): boolean {
  const stripped = gap
    .replace(/\bsteps? \d+(?:(?:, | and |–|-)\d+)*/g, '')
    .replace(/\bitems? \d+/g, '')
    .replace(/"[^"]*"|`[^`]*`/g, '')
    .replace(/\b(?:and|or|vs\.?|to)\b/g, '');
  return LIST_GAP.test(stripped);
}

/** Every `§N` of a text, with the document it names (or inherits from the list it is part of). */
function findCitations(text: string): Citation[] {
  const citations: Citation[] = [];
  text.split('\n').forEach((lineText, index) => {
    let previous: { doc: string; end: number } | undefined;
    for (const match of lineText.matchAll(SECTION)) {
      const start = match.index;
      const before = lineText.slice(0, start);
      const named = NAMED_BEFORE.exec(before);
      let doc: string | undefined;
      if (named) doc = named[1] ?? named[2];
      else if (RFC_BEFORE.test(before)) doc = 'RFC';
      else if (previous && isListGap(lineText.slice(previous.end, start))) doc = previous.doc;
      citations.push({ line: index + 1, section: match[1]!, doc });
      previous = doc === undefined ? undefined : { doc, end: start + match[0].length };
    }
  });
  return citations;
}

/** Lines outside fenced code blocks, with their 1-based numbers. */
function proseLines(markdown: string): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  let fenced = false;
  markdown.split('\n').forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    else if (!fenced) out.push([index + 1, line]);
  });
  return out;
}

/** Heading texts of a markdown document, e.g. `1.6 Register, deregister, two-step PIN`. */
function headings(markdown: string): string[] {
  return proseLines(markdown)
    .map(([, line]) => /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line)?.[1])
    .filter((h): h is string => h !== undefined);
}

/** The section numbers of a document: the number at the start of a heading (`## 4.`, `### 1.6 ...`). */
function sectionNumbers(markdown: string): Set<string> {
  const numbers = new Set<string>();
  for (const heading of headings(markdown)) {
    const match = /^(\d+(?:\.\d+)*)\.?(?:\s|$)/.exec(heading);
    if (match) numbers.add(match[1]!);
  }
  return numbers;
}

/** A heading's name without a leading section number: `5. Scale-out` and `Scale-out` are both `Scale-out`. */
function headingNames(markdown: string): Set<string> {
  return new Set(headings(markdown).map((h) => h.replace(/^\d+(?:\.\d+)*\.?\s+/, '')));
}

function citableDoc(relPath: string, markdown: string): CitableDoc {
  return { path: relPath, sections: sectionNumbers(markdown), headings: headingNames(markdown) };
}

/**
 * Problems with the `§` citations of one file. `docs` are the citable documents (under docs/); a bare `§N`
 * in a docs/reference file refers to that file itself.
 */
function checkSections(file: string, text: string, docs: readonly CitableDoc[]): Finding[] {
  const findings: Finding[] = [];
  const self = file.startsWith('docs/reference/') ? docs.find((d) => d.path === file) : undefined;
  for (const citation of findCitations(text)) {
    const at = { file, line: citation.line };
    if (citation.doc === 'RFC') continue;
    if (citation.doc === undefined && self === undefined) {
      findings.push({
        ...at,
        message: `§${citation.section} does not name its document (e.g. cams-api.md §${citation.section})`,
      });
      continue;
    }
    let target = self;
    if (citation.doc !== undefined) {
      const matches = docs.filter((d) => path.posix.basename(d.path) === citation.doc);
      if (matches.length !== 1) {
        const why =
          matches.length === 0 ? 'no such file under docs/' : `${matches.length} files of that name`;
        findings.push({ ...at, message: `${citation.doc} §${citation.section}: ${why}` });
        continue;
      }
      target = matches[0];
    }
    if (target !== undefined && !target.sections.has(citation.section)) {
      findings.push({ ...at, message: `${target.path} has no section numbered ${citation.section}` });
    }
  }
  return findings;
}

/** `architecture.md, "X"` must name a heading X of docs/architecture.md (undefined: it does not exist). */
function checkArchitecture(file: string, text: string, architecture: CitableDoc | undefined): Finding[] {
  const findings: Finding[] = [];
  text.split('\n').forEach((line, index) => {
    if (/architecture\.md,(?!\s*"[^"]+")/.test(line)) {
      findings.push({ file, line: index + 1, message: 'keep architecture.md and its "heading" on one line' });
    }
    for (const match of line.matchAll(/architecture\.md,\s*"([^"]+)"/g)) {
      const heading = match[1]!;
      if (architecture === undefined) {
        findings.push({
          file,
          line: index + 1,
          message: `"${heading}": docs/architecture.md does not exist`,
        });
      } else if (!architecture.headings.has(heading)) {
        findings.push({ file, line: index + 1, message: `docs/architecture.md has no heading "${heading}"` });
      }
    }
  });
  return findings;
}

/** Relative markdown links to files that do not exist (`exists` takes a path relative to the root). */
function checkLinks(file: string, markdown: string, exists: (relPath: string) => boolean): Finding[] {
  const findings: Finding[] = [];
  for (const [line, text] of proseLines(markdown)) {
    for (const match of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = match[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
      const relPath = path.posix.normalize(path.posix.join(path.posix.dirname(file), target.split('#')[0]!));
      if (relPath.startsWith('..') || !exists(relPath)) {
        findings.push({ file, line, message: `link to ${target}: ${relPath} does not exist` });
      }
    }
  }
  return findings;
}

/** Mentions of issue-tracker items (`issue 5`, `issue #5, item 2`) in source files. */
function checkIssueMentions(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  text.split('\n').forEach((line, index) => {
    const match = /\bissues? #?\d+/i.exec(line);
    if (match) {
      findings.push({
        file,
        line: index + 1,
        message: `"${match[0]}": write the reason, not the issue number`,
      });
    }
  });
  return findings;
}

/** Documents outside the repository. */
const FORBIDDEN = /\.\.\/shared|\bDESIGN\.md|\bSTYLE\.md/g;

function checkForbidden(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  text.split('\n').forEach((line, index) => {
    for (const match of line.matchAll(FORBIDDEN)) {
      findings.push({ file, line: index + 1, message: `${match[0]} is not part of the repository` });
    }
  });
  return findings;
}

describe('findCitations', () => {
  it('names the document written before the section, in plain or link form', () => {
    expect(findCitations('see cams-api.md §2.2.1 and [w.md](../reference/w.md) §1.6')).toEqual([
      { line: 1, section: '2.2.1', doc: 'cams-api.md' },
      { line: 1, section: '1.6', doc: 'w.md' },
    ]);
  });

  it('carries the name through lists and ranges, not past other words', () => {
    const cited = findCitations(
      [
        'x (cams-api.md §2.2.1 step 6 / §2.2.2 steps 1, 3–6, §2.3.3 step 1)',
        'w.md §1.3-§1.6, §2.2 and §1.10 "Param encoding", §1.5',
        'cams-api.md §4.3 operators, keys §4.4',
      ].join('\n'),
    );
    expect(cited.map((c) => `${c.line}:${c.section}:${c.doc}`)).toEqual([
      '1:2.2.1:cams-api.md',
      '1:2.2.2:cams-api.md',
      '1:2.3.3:cams-api.md',
      '2:1.3:w.md',
      '2:1.6:w.md',
      '2:2.2:w.md',
      '2:1.10:w.md',
      '2:1.5:w.md',
      '3:4.3:cams-api.md',
      '3:4.4:undefined',
    ]);
  });

  it('marks RFC sections and leaves bare ones unnamed', () => {
    expect(findCitations('RFC 9110 §10.2.3; then (§1.6)').map((c) => c.doc)).toEqual(['RFC', undefined]);
  });
});

describe('section numbers and headings', () => {
  const doc = [
    '# Title',
    '## 0. Sources',
    '### 1.6 Register, deregister',
    '#### 2.2.3 Worked examples',
    '```',
    '## 9.9 not a heading inside a fence',
    '```',
    '## Appendix A. Verifiers',
    '## 5. Scale-out',
  ].join('\n');

  it('reads the number at the start of each heading', () => {
    expect([...sectionNumbers(doc)]).toEqual(['0', '1.6', '2.2.3', '5']);
  });

  it('names headings without their number', () => {
    expect(headingNames(doc).has('Scale-out')).toBe(true);
    expect(headingNames(doc).has('Register, deregister')).toBe(true);
  });
});

describe('checkSections', () => {
  const docs = [
    citableDoc('docs/reference/cams-api.md', '## 2. Gateway\n#### 2.2.1 Client\n'),
    citableDoc('docs/reference/whatsapp-upstream.md', '### 1.6 Register\n'),
  ];

  it('accepts named sections that exist', () => {
    expect(checkSections('src/a.ts', '// cams-api.md §2.2.1, §2; whatsapp-upstream.md §1.6', docs)).toEqual(
      [],
    );
  });

  it('reports a planted bare section, an unknown section and an unknown document with file:line', () => {
    const text = ['// fine: cams-api.md §2', '// bare (§1.6)', '// cams-api.md §7.1', '// DESIGN2.md §1'];
    expect(checkSections('src/a.ts', text.join('\n'), docs)).toEqual([
      { file: 'src/a.ts', line: 2, message: expect.stringContaining('§1.6 does not name its document') },
      { file: 'src/a.ts', line: 3, message: 'docs/reference/cams-api.md has no section numbered 7.1' },
      { file: 'src/a.ts', line: 4, message: 'DESIGN2.md §1: no such file under docs/' },
    ]);
  });

  it('reads a bare section inside a reference document as that document', () => {
    const file = 'docs/reference/whatsapp-upstream.md';
    expect(checkSections(file, 'see §1.6 and cams-api.md §2.2.1', docs)).toEqual([]);
    expect(checkSections(file, 'see §2.2.1', docs)).toEqual([
      { file, line: 1, message: `${file} has no section numbered 2.2.1` },
    ]);
  });
});

describe('checkArchitecture', () => {
  const architecture = citableDoc('docs/architecture.md', '## Scale-out\n## 7. Conventions\n');

  it('accepts existing headings, numbered or not, and reports missing ones', () => {
    const text = [
      'a (architecture.md, "Scale-out")',
      'b (architecture.md, "Conventions" 4)',
      'c (architecture.md, "Storage")',
    ].join('\n');
    expect(checkArchitecture('src/x.ts', text, architecture)).toEqual([
      { file: 'src/x.ts', line: 3, message: 'docs/architecture.md has no heading "Storage"' },
    ]);
  });

  it('reports a citation split across lines', () => {
    expect(checkArchitecture('src/x.ts', '// see (architecture.md,\n// "Scale-out")', architecture)).toEqual([
      { file: 'src/x.ts', line: 1, message: 'keep architecture.md and its "heading" on one line' },
    ]);
  });

  it('reports every citation when the document is missing', () => {
    expect(checkArchitecture('src/x.ts', 'architecture.md, "Layers"', undefined)).toHaveLength(1);
  });
});

describe('checkLinks', () => {
  const files = new Set(['README.md', 'docs/errors.md', 'docs/reference/cams-api.md']);
  const exists = (p: string) => files.has(p);

  it('resolves relative links against the file, ignores URLs, anchors and fenced code', () => {
    const text = [
      '[e](errors.md) [c](reference/cams-api.md#21-what) [r](../README.md) [a](#top) [u](https://x.y/z.md)',
      '```',
      '[no](nothing.md)',
      '```',
    ].join('\n');
    expect(checkLinks('docs/lifecycle.md', text, exists)).toEqual([]);
  });

  it('reports a planted broken link', () => {
    expect(checkLinks('docs/reference/cams-api.md', 'see [x](../missing.md)', exists)).toEqual([
      {
        file: 'docs/reference/cams-api.md',
        line: 1,
        message: 'link to ../missing.md: docs/missing.md does not exist',
      },
    ]);
  });
});

describe('checkIssueMentions and checkForbidden', () => {
  it('reports issue numbers, not other uses of the word', () => {
    const text = '// the known issue with X\n// (issue 5, item 2)\n// Issue #12: y';
    expect(checkIssueMentions('src/a.ts', text).map((f) => f.line)).toEqual([2, 3]);
  });

  it('reports documents outside the repository', () => {
    const text = ['see ../shared/x', 'DESIGN' + '.md, "Storage"', 'ok', 'STYLE' + '.md habit 4'].join('\n');
    expect(checkForbidden('README.md', text).map((f) => f.line)).toEqual([1, 2, 4]);
  });
});

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SELF = path
  .relative(ROOT, fileURLToPath(import.meta.url))
  .split(path.sep)
  .join('/');
const SKIP_DIRS = new Set(['node_modules', 'dist', 'data', '.bench', '.scratch', '.git']);
const TEXT = /\.(?:ts|mts|cts|js|mjs|cjs|json|jsonc|md|sh|sql|ya?ml)$/;

/** Files under `dir` (relative to the root) whose names match `pattern`. */
function walk(dir: string, pattern: RegExp): string[] {
  const abs = path.join(ROOT, dir);
  if (!existsSync(abs)) return [];
  const out: string[] = [];
  for (const name of readdirSync(abs).sort()) {
    if (SKIP_DIRS.has(name)) continue;
    const rel = `${dir}/${name}`;
    if (statSync(path.join(ROOT, rel)).isDirectory()) out.push(...walk(rel, pattern));
    else if (pattern.test(name)) out.push(rel);
  }
  return out;
}

describe('the repository', () => {
  it('cites only what it contains', () => {
    const markdown = ['README.md', ...walk('docs', /\.md$/)];
    const sources = ['src', 'test', 'bench', 'scripts'].flatMap((dir) => walk(dir, TEXT));
    // This file plants bad citations in its fixtures on purpose.
    const files = [...sources, ...markdown].filter((f) => f !== SELF);
    const read = (f: string) => readFileSync(path.join(ROOT, f), 'utf8');
    const docs = walk('docs', /\.md$/).map((f) => citableDoc(f, read(f)));
    const architecture = docs.find((d) => d.path === 'docs/architecture.md');
    const exists = (rel: string) => existsSync(path.join(ROOT, rel));

    const findings: Finding[] = [];
    for (const file of files) {
      const text = read(file);
      findings.push(...checkSections(file, text, docs));
      findings.push(...checkArchitecture(file, text, architecture));
      findings.push(...checkForbidden(file, text));
      if (file.endsWith('.md') && markdown.includes(file)) findings.push(...checkLinks(file, text, exists));
      if (file.startsWith('src/')) findings.push(...checkIssueMentions(file, text));
    }
    expect(findings.map((f) => `${f.file}:${f.line}: ${f.message}`)).toEqual([]);
  });
});
