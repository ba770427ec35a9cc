import { invalidParameter } from '../errors/index.js';
import type { PagePosition, PhoneNumberPage } from '../store/records.js';
import type { ParamSpec } from './spec.js';

/**
 * How many numbers an answer lists unless MaxResults says otherwise, and the most it may ask for. CAMS
 * answers a space's numbers whole (no paging parameter in any SDK model: cams-api.md §1.3), while Meta
 * caps a WABA at 20-25 numbers (whatsapp-upstream.md §0.6, §1.8) and pages the same list by 25 unless
 * asked for up to 100 (whatsapp-upstream.md §1.4): 25 answers whole every space Meta lets a customer
 * have without Direct Support, and keeps an answer the size of a small space's whatever the space holds
 * (docs/PERFORMANCE.md, "Reads as spaces grow").
 */
export const DEFAULT_RESULTS = 25;
export const MAX_RESULTS = 100;

/**
 * The paging parameters this service adds to the list actions, with Alibaba's usual names (the SDK
 * models do not have them: test/wire/sdk-models.test.ts lists them as such). The typed SDK methods
 * cannot send them; `@alicloud/pop-core`'s `request` and the SDK's generic `callApi` can.
 */
export const PAGING_PARAMS: readonly ParamSpec[] = [
  {
    name: 'MaxResults',
    type: 'integer',
    required: false,
    location: 'query',
    extension: true,
    maxLength: 3,
    description: `Not in Alibaba's API: how many numbers to list, 1-${MAX_RESULTS} (default ${DEFAULT_RESULTS}).`,
  },
  {
    name: 'NextToken',
    type: 'string',
    required: false,
    location: 'query',
    extension: true,
    maxLength: 256,
    description: "Not in Alibaba's API: the NextToken of the previous answer, to list the numbers after it.",
  },
];

/** The limitation every paged action states. */
export const PAGING_LIMITATION = `Lists at most ${DEFAULT_RESULTS} numbers per answer (MaxResults, up to ${MAX_RESULTS}), in order of PhoneNumber (space by space without CustSpaceId); when more follow, the answer carries NextToken (not in Alibaba's model), and NextToken=<it> as an extra query parameter lists the next ones. The typed SDK methods send neither parameter; pop-core's request and the SDK's callApi do.`;

export interface PageInput {
  readonly limit: number;
  readonly after?: PagePosition;
}

/** MaxResults and NextToken as a page request; a malformed value is refused naming the parameter. */
export function pageInput(p: Readonly<Record<string, string | undefined>>): PageInput {
  const limit = p.MaxResults === undefined ? DEFAULT_RESULTS : Number(p.MaxResults);
  if (!/^\d+$/.test(p.MaxResults ?? '1') || !Number.isInteger(limit) || limit < 1 || limit > MAX_RESULTS) {
    throw invalidParameter(
      'MaxResults',
      `expected an integer from 1 to ${MAX_RESULTS}, got "${p.MaxResults}".`,
    );
  }
  return p.NextToken === undefined ? { limit } : { limit, after: decodeNextToken(p.NextToken) };
}

/**
 * NextToken: the position of the last number listed, opaque to callers (base64url of a JSON pair). It
 * names no other tenant's data: the listing is scoped to the caller, wherever the token points.
 */
export function encodeNextToken(position: PagePosition): string {
  return Buffer.from(JSON.stringify([position.custSpaceId, position.e164])).toString('base64url');
}

function decodeNextToken(token: string): PagePosition {
  let pair: unknown;
  try {
    pair = /^[A-Za-z0-9_-]+$/.test(token)
      ? JSON.parse(Buffer.from(token, 'base64url').toString())
      : undefined;
  } catch {
    pair = undefined;
  }
  if (
    !Array.isArray(pair) ||
    pair.length !== 2 ||
    typeof pair[0] !== 'string' ||
    typeof pair[1] !== 'string' ||
    pair[0].length > 64 ||
    !/^\d{1,20}$/.test(pair[1])
  ) {
    throw invalidParameter('NextToken', 'expected the NextToken of a previous answer of this action.');
  }
  return { custSpaceId: pair[0], e164: pair[1] };
}

/** The answer's NextToken field, when more numbers follow. */
export function nextTokenField(page: PhoneNumberPage): { NextToken?: string } {
  return page.next === undefined ? {} : { NextToken: encodeNextToken(page.next) };
}
