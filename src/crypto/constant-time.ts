import { timingSafeEqual } from 'node:crypto';

/**
 * Constant-time string comparison for signatures (cams-api.md §2.2.2 step 6: "constant-time compare";
 * Appendix A note). Compares the UTF-8 bytes; a length mismatch returns false before any content
 * comparison (the length of a signature is not secret).
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}
