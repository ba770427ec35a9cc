/**
 * "Did you mean" hints for misspelt keys and operators, so errors say how to fix them
 * (architecture.md, "Conventions" 9).
 */

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * ` (did you mean "X"?)` for the candidate closest to `word` ignoring case, if it is within two edits;
 * otherwise the empty string. Long inputs are not compared, to keep the cost bounded.
 */
export function didYouMean(word: string, candidates: readonly string[]): string {
  if (word.length > 64) return '';
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best === undefined ? '' : ` (did you mean ${JSON.stringify(best)}?)`;
}
