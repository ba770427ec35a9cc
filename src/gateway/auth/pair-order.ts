/**
 * Ordering of decoded parameter pairs for canonicalisation: by key, then by value, in JS default
 * (UTF-16 code unit) order, as the SDKs' `Object.keys(...).sort()` (cams-api.md §2.2.1 step 6,
 * cams-api.md §2.3.1 step 4). Official clients never repeat a key, so the value order only makes duplicates
 * deterministic.
 */
export function comparePairs(a: readonly [string, string], b: readonly [string, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return 0;
}
