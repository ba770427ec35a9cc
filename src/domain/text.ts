/**
 * What text a parameter may carry: anything XML 1.0 can represent and a reader can store, i.e. no
 * control character (C0, DEL, C1) other than tab, line feed and carriage return, no lone UTF-16 surrogate and no
 * Unicode non-character (U+FDD0–U+FDEF, U+FFFE, U+FFFF). Such text would either make an XML answer
 * not well-formed when echoed or stored and shown later, or mean nothing to a reader.
 */

/** Unicode's control characters (C0, DEL, C1) except tab, line feed and carriage return. */
const CONTROL = /(?![\t\n\r])\p{Cc}/u;
const NON_CHARACTER = /[\uFDD0-\uFDEF\uFFFE\uFFFF]/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `value` is refused as parameter text (the end of an InvalidParameter message), or undefined. */
export function unacceptableText(value: string): string | undefined {
  if (LONE_SURROGATE.test(value)) return 'expected text without lone UTF-16 surrogates.';
  if (CONTROL.test(value)) return 'expected no control characters other than tab, CR and LF.';
  if (NON_CHARACTER.test(value)) {
    return 'expected no Unicode non-characters (U+FDD0 to U+FDEF, U+FFFE, U+FFFF).';
  }
  return undefined;
}
