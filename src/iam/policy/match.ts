/**
 * Wildcard matching for actions, resources and StringLike values (cams-api.md §4.1, §4.3).
 */

export interface WildcardOptions {
  caseInsensitive: boolean;
  /** Whether `?` stands for exactly one character; otherwise it is a literal. */
  questionMark: boolean;
}

/**
 * Whether `value` matches `pattern`, where `*` matches any run of characters (including none) and, when
 * enabled, `?` matches exactly one character (Unicode code point).
 *
 * Greedy scan that only ever backtracks to the most recent `*`: O(pattern × value) in the worst case,
 * never exponential, and no regular expression is built from user input.
 */
export function wildcardMatch(pattern: string, value: string, opts: WildcardOptions): boolean {
  const p = Array.from(opts.caseInsensitive ? pattern.toLowerCase() : pattern);
  const v = Array.from(opts.caseInsensitive ? value.toLowerCase() : value);
  let pi = 0;
  let vi = 0;
  let starAt = -1; // index in p of the last `*` seen
  let starMatchedUpTo = 0; // index in v where that `*` currently stops
  while (vi < v.length) {
    const pc = p[pi];
    if (pc === '*') {
      starAt = pi++;
      starMatchedUpTo = vi;
    } else if (pc !== undefined && (pc === v[vi] || (opts.questionMark && pc === '?'))) {
      pi++;
      vi++;
    } else if (starAt >= 0) {
      // Let the last `*` swallow one more character and retry the rest of the pattern after it.
      pi = starAt + 1;
      vi = ++starMatchedUpTo;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

/**
 * Action matching is "in most cases not case-sensitive" (cams-api.md §4.1); `?` is documented only for
 * StringLike.
 */
export function actionMatches(pattern: string, action: string): boolean {
  return wildcardMatch(pattern, action, { caseInsensitive: true, questionMark: false });
}

/** Resource (ARN) matching is case-sensitive; `*` may stand in any segment (cams-api.md §4.1). */
export function resourceMatches(pattern: string, resource: string): boolean {
  return wildcardMatch(pattern, resource, { caseInsensitive: false, questionMark: false });
}
