import { CONFIG_GROUPS, CONFIG_VARS, type ConfigVar } from '../config-vars.js';

const cell = (markdown: string) => markdown.replace(/\|/g, '\\|');

/** docs/configuration.md, generated from the declarations in src/config-vars.ts. */
export function configurationMarkdown(): string {
  const vars = Object.entries(CONFIG_VARS) as Array<[string, ConfigVar<unknown>]>;
  const out = [
    '# Configuration',
    '',
    'Generated from `src/config-vars.ts` by `npm run docs`; do not edit by hand. Every environment variable',
    '`cams serve` and the `cams` command read. An empty value is the same as an unset one. A value that is',
    'not accepted stops the start with a message naming the variable and what it accepts (secrets are',
    'never repeated). `cams serve` also takes `--host` and `--port`, and `cams` takes `--data-dir`, which',
    'override `CAMS_HOST`, `CAMS_PORT` and `CAMS_DATA_DIR`.',
    '',
  ];
  for (const group of CONFIG_GROUPS) {
    out.push(`## ${group}`, '', '| Variable | Default | Accepts | Meaning |', '|---|---|---|---|');
    for (const [name, v] of vars.filter(([, v]) => v.group === group)) {
      out.push(`| \`${name}\` | ${cell(v.shownDefault)} | ${cell(v.accepts)} | ${cell(v.meaning)} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
