import { CAMS_ACTIONS } from '../actions/cams-actions.js';
import { ACTIONS } from '../actions/index.js';
import { RAM_PRODUCT, STS_PRODUCT, type Product } from '../actions/products.js';
import type { ActionSpec } from '../actions/spec.js';
import { META_ERRORS } from '../domain/upstream-errors.js';
import { CATALOGUE, type CatalogueEntry } from '../errors/index.js';
import { configurationMarkdown } from './configuration.js';

/** docs/errors.md, generated from the error catalogue (a test fails when they drift apart). */
export function errorsMarkdown(): string {
  const rows = Object.entries(CATALOGUE as Record<string, CatalogueEntry>).map(
    ([code, e]) => `| \`${code}\` | ${e.status} | ${e.source} | ${e.message} | ${e.description} |`,
  );
  return [
    '# Error catalogue',
    '',
    'Generated from `src/errors/catalogue.ts` by `npm run docs`; do not edit by hand.',
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

/** The products besides CAMS, documented after it. */
const OTHER_PRODUCTS: readonly Product[] = [RAM_PRODUCT, STS_PRODUCT];

function actionSection(a: ActionSpec<unknown>): string[] {
  const out = [`## ${a.name}`, '', a.summary, ''];
  out.push(
    `RAM action \`${a.ramAction}\` (access level ${a.accessLevel}); ${a.qps} calls per second per account.`,
    '',
  );
  out.push('| Parameter | Required | Sent in | Description |', '|---|---|---|---|');
  for (const p of a.params) {
    out.push(
      `| ${p.name} | ${p.required ? 'yes' : 'no'}${p.deprecated ? ' (deprecated)' : ''} | ${p.location} | ${p.description} |`,
    );
  }
  if (a.limitations.length > 0)
    out.push('', 'Differences from Alibaba Cloud:', '', ...a.limitations.map((l) => `- ${l}`));
  out.push('');
  return out;
}

/** docs/actions.md, generated from the action specs. */
export function actionsMarkdown(): string {
  const out = [
    '# Implemented actions',
    '',
    'Generated from `src/actions/*.ts` by `npm run docs`; do not edit by hand. API version 2020-06-06.',
    '',
    '"Sent in" is where the official Node SDK (`@alicloud/cams20200606` 1.4.2) puts a parameter: the URL',
    'query or the form body. This service accepts every parameter in either.',
    '',
  ];
  for (const a of ACTIONS.values()) out.push(...actionSection(a));
  // The other products on the port (actions/products.ts): their SDKs send every parameter in the query.
  for (const product of OTHER_PRODUCTS) {
    if (product.actions.size === 0) continue;
    out.push(`# ${product.name.toUpperCase()} API (version ${product.version})`, '');
    for (const a of product.actions.values()) out.push(...actionSection(a));
  }
  return out.join('\n');
}

function coverageRows(declared: readonly string[], actions: ReadonlyMap<string, ActionSpec<unknown>>) {
  return declared.map((name) => {
    const a = actions.get(name);
    if (a === undefined) return `| ${name} | no: answers \`Action.NotImplemented\` (501) | | | |`;
    const notes = a.limitations.join(' ').replace(/\|/g, '\\|');
    return `| ${name} | yes | \`${a.ramAction}\` (${a.accessLevel}) | ${a.qps} | ${notes} |`;
  });
}

const COVERAGE_HEADER = [
  '| Action | Implemented | RAM action (access level) | QPS per account | Differences from Alibaba Cloud |',
  '|---|---|---|---|---|',
];

/** docs/coverage.md: every action of every product, implemented or not, with the known differences. */
export function coverageMarkdown(): string {
  const rows = coverageRows(CAMS_ACTIONS, ACTIONS);
  const others = OTHER_PRODUCTS.flatMap((p) => [
    `## ${p.name.toUpperCase()} ${p.version}`,
    '',
    `Every action of ${p.name.toUpperCase()} API version ${p.version} as its official SDK declares them, on the same endpoint.`,
    '',
    ...COVERAGE_HEADER,
    ...coverageRows(p.declared, p.actions),
    '',
  ]);
  return [
    '# CAMS action coverage',
    '',
    'Generated from `src/actions/` by `npm run docs`; do not edit by hand. Every action of CAMS API',
    'version 2020-06-06 as `@alicloud/cams20200606` 1.4.2 declares them. Parameters and answers of the',
    'implemented ones: [actions.md](actions.md).',
    '',
    'RAM: `AliyunCamsReadOnlyAccess` allows `cams:Get*` and `cams:List*` exactly as Alibaba defines it, so',
    'it allows GetChatappVerifyCode (which sends a code) and not the Query* actions or IsvGetAppId.',
    '',
    ...COVERAGE_HEADER,
    ...rows,
    '',
    ...others,
  ].join('\n');
}

/** docs/meta-errors.md: how Meta's errors reach CAMS callers, from the mapping's table. */
export function metaErrorsMarkdown(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = META_ERRORS.map((r) => {
    const codes = r.codes.map((c) => (typeof c === 'number' ? String(c) : `${c[0]}-${c[1]}`)).join(' or ');
    const meta = r.subcode === undefined ? codes : `${codes} / subcode ${r.subcode}`;
    const e = (CATALOGUE as Record<string, CatalogueEntry>)[r.cams]!;
    return `| ${meta} | ${cell(r.meaning)} | \`${r.cams}\` | ${e.status} | ${cell(r.message ?? e.message)} |`;
  });
  return [
    '# Meta errors as CAMS errors',
    '',
    "Generated from `src/domain/upstream-errors.ts` by `npm run docs`; do not edit by hand. Meta's codes",
    'are those of whatsapp-upstream.md §1.10 and §1.3. The HTTP status says whose move it is: 400 or 403',
    'when the caller or their business must act, 503 when a retry later may work, 502 when the operator of',
    "this service must fix its WhatsApp access token. The message below is followed by Meta's code and",
    "text, e.g. `(WhatsApp error 133005: ...)`, then Meta's advice to the user when it gives one, and for",
    'rate limits the wait Meta asks for.',
    '',
    'A subcode row applies before the row of its code. A code not listed answers `Upstream.Unavailable`',
    '(503) when Meta marks it transient (`is_transient`), otherwise `Upstream.Error` (502). WhatsApp',
    'unreachable (timeout, network error) answers `Upstream.Unavailable`.',
    '',
    "| Meta code | Meta's meaning | CAMS code | HTTP | CAMS message |",
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

export const GENERATED_DOCS: Record<string, () => string> = {
  'docs/errors.md': errorsMarkdown,
  'docs/actions.md': actionsMarkdown,
  'docs/coverage.md': coverageMarkdown,
  'docs/meta-errors.md': metaErrorsMarkdown,
  'docs/configuration.md': configurationMarkdown,
};
