import { ACTIONS } from '../actions/index.js';
import { CATALOGUE, type CatalogueEntry } from '../gateway/errors.js';

/** docs/errors.md, generated from the error catalogue (a test fails when they drift apart). */
export function errorsMarkdown(): string {
  const rows = Object.entries(CATALOGUE as Record<string, CatalogueEntry>).map(
    ([code, e]) => `| \`${code}\` | ${e.status} | ${e.source} | ${e.message} | ${e.description} |`,
  );
  return [
    '# Error catalogue',
    '',
    'Generated from `src/gateway/errors.ts` by `npm run docs`; do not edit by hand.',
    '',
    'Every error answers the catalogued HTTP status with a JSON body (or XML for V1 `Format=XML`):',
    '`RequestId`, `HostId`, `Code`, `Message`, `Recommend`, and for `Ram.PermissionDeny` an',
    '`AccessDeniedDetail` object. `MissingParameter` is answered per parameter as `Missing{Name}`',
    '(for example `MissingPhoneNumber`, message `PhoneNumber is mandatory for this action.`).',
    '',
    '| Code | HTTP | Source | Message | When |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

/** docs/actions.md, generated from the action specs. */
export function actionsMarkdown(): string {
  const out = [
    '# Implemented actions',
    '',
    'Generated from `src/actions/*.ts` by `npm run docs`; do not edit by hand. API version 2020-06-06.',
    '',
  ];
  for (const a of ACTIONS.values()) {
    out.push(`## ${a.name}`, '', a.summary, '');
    out.push(
      `RAM action \`${a.ramAction}\` (access level ${a.accessLevel}); ${a.qps} calls per second per account.`,
      '',
    );
    out.push('| Parameter | Required | Description |', '|---|---|---|');
    for (const p of a.params) {
      out.push(
        `| ${p.name} | ${p.required ? 'yes' : 'no'}${p.deprecated ? ' (deprecated)' : ''} | ${p.description} |`,
      );
    }
    if (a.limitations.length > 0)
      out.push('', 'Differences from Alibaba Cloud:', '', ...a.limitations.map((l) => `- ${l}`));
    out.push('');
  }
  return out.join('\n');
}

export const GENERATED_DOCS: Record<string, () => string> = {
  'docs/errors.md': errorsMarkdown,
  'docs/actions.md': actionsMarkdown,
};
