import { invalidParameter } from '../errors/index.js';

/** RAM's paging (ListUsers, ListRoles, ...): MaxItems 1..1000, default 100; Marker continues a listing. */
export const DEFAULT_MAX_ITEMS = 100;
export const MAX_MAX_ITEMS = 1000;

export interface Page {
  readonly marker?: string | undefined;
  readonly maxItems?: number | undefined;
}

/** A page asked for, decoded: the sort key to continue after and how many to answer. */
export function pageRequest(page: Page): { after: string | undefined; limit: number } {
  const limit = page.maxItems ?? DEFAULT_MAX_ITEMS;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_MAX_ITEMS) {
    throw invalidParameter('MaxItems', `expected an integer from 1 to ${MAX_MAX_ITEMS}, got ${limit}.`);
  }
  if (page.marker === undefined || page.marker === '') return { after: undefined, limit };
  const after = /^[A-Za-z0-9_-]{1,400}$/.test(page.marker)
    ? Buffer.from(page.marker, 'base64url').toString('utf8')
    : '';
  if (after === '' || Buffer.from(after, 'utf8').toString('base64url') !== page.marker) {
    throw invalidParameter('Marker', 'expected the Marker of a previous answer of this listing.');
  }
  return { after, limit };
}

/**
 * The answer's paging: `limit + 1` rows were read, so a surplus row means more follow; the Marker is
 * the last answered row's sort key, opaque to the caller.
 */
export function pageAnswer<T>(
  rows: readonly T[],
  limit: number,
  keyOf: (row: T) => string,
): { items: T[]; isTruncated: boolean; marker: string | undefined } {
  const items = rows.slice(0, limit);
  const isTruncated = rows.length > limit;
  return {
    items,
    isTruncated,
    marker: isTruncated ? Buffer.from(keyOf(items.at(-1)!), 'utf8').toString('base64url') : undefined,
  };
}
