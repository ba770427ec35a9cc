/**
 * Percent-encoding helpers shared by signature V3 and V1 verification.
 *
 * Reference: cams-api.md §2.1 (wire encoding is Node `querystring`, not canonical), cams-api.md §2.2.2 step 4
 * and cams-api.md §2.3.3 steps 1 and 3 (decode the wire pairs, then re-encode with Alibaba's RFC 3986
 * `encode`).
 */

/** Lone UTF-16 surrogates cannot be UTF-8 encoded; `encodeURIComponent` would throw on them. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Alibaba's RFC 3986 encoding (cams-api.md §2.2.1 step 6 `encode`, §2.3.3 step 3): `encodeURIComponent` plus
 * `!'()*` escaped, upper-case hex, space as `%20`, `~` left unescaped. Lone surrogates become U+FFFD
 * (as `Buffer.from(s, 'utf8')` would) instead of throwing.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value.replace(LONE_SURROGATE, '\uFFFD')).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * Decodes an `application/x-www-form-urlencoded` string (a raw query string without the `?`, or a form body)
 * into pairs, in wire order (cams-api.md §2.2.2 step 4, §2.3.3 step 1, Appendix A `parse`): split on `&`,
 * skip empty parts, split each part at the first `=`, `+` means space, then percent-decode as UTF-8. Returns
 * undefined if any part holds a malformed `%` sequence or invalid UTF-8.
 */
export function parseQueryPairs(raw: string): Array<[string, string]> | undefined {
  const pairs: Array<[string, string]> = [];
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decodeComponent(eq < 0 ? part : part.slice(0, eq));
    const value = decodeComponent(eq < 0 ? '' : part.slice(eq + 1));
    if (key === undefined || value === undefined) return undefined;
    pairs.push([key, value]);
  }
  return pairs;
}

function decodeComponent(raw: string): string | undefined {
  try {
    // decodeURIComponent rejects bad `%` sequences, invalid/overlong UTF-8 and encoded surrogates.
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
