import { randomFillSync } from 'node:crypto';

// The digest: 128 bits of a keyed hash of (accessKeyId, nonce). Two HalfSipHash-2-4 lanes with 64-bit
// output (Aumasson & Bernstein), each with its own 64-bit half of a per-process random key, over one
// self-delimiting encoding of the pair, so nobody outside the process can aim collisions (at a victim's
// nonce, or at one slot of the table). A pure-JS hash costs about half what node:crypto's one-shot
// SHA-256 does here (no native call, no Buffer, no string concatenation).

const KEY = randomFillSync(new Uint32Array(4));
const K0 = KEY[0]! | 0;
const K1 = KEY[1]! | 0;
const K2 = KEY[2]! | 0;
const K3 = KEY[3]! | 0;

/** The digest of the last `digest()` call, as four unsigned words. */
export const D = new Uint32Array(4);
/** The message words; grows for long nonces. */
let words = new Int32Array(64);

/**
 * Writes `s` at `words[at]`: a header word (length, and bit 31 set when some code unit is above 0xff),
 * then its code units, four per word when all fit a byte (SDK nonces and keys are ASCII), else two.
 * The header makes the encoding of the pair injective. Returns the index after the last word written.
 */
function pack(s: string, at: number): number {
  const n = s.length;
  const w = words;
  const header = at++;
  // Optimistically four per word, each code unit read once; redone two per word if one did not fit.
  let all = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const c0 = s.charCodeAt(i);
    const c1 = s.charCodeAt(i + 1);
    const c2 = s.charCodeAt(i + 2);
    const c3 = s.charCodeAt(i + 3);
    all |= c0 | c1 | c2 | c3;
    w[at++] = c0 | (c1 << 8) | (c2 << 16) | (c3 << 24);
  }
  if (i < n) {
    let m = 0;
    for (let shift = 0; i < n; i++, shift += 8) {
      const c = s.charCodeAt(i);
      all |= c;
      m |= c << shift;
    }
    w[at++] = m;
  }
  if (all <= 0xff) {
    w[header] = n;
    return at;
  }
  at = header;
  w[at++] = n | 0x80000000;
  for (i = 0; i + 2 <= n; i += 2) w[at++] = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
  if (i < n) w[at++] = s.charCodeAt(i);
  return at;
}

/** Computes the digest of (accessKeyId, nonce) into D. */
export function digest(accessKeyId: string, nonce: string): void {
  const need = 2 + ((accessKeyId.length + 1) >> 1) + ((nonce.length + 1) >> 1);
  if (need > words.length) words = new Int32Array(need * 2);
  const n = pack(nonce, pack(accessKeyId, 0));
  const w = words;
  // HalfSipHash initialisation with a 64-bit output (v1 ^= 0xee), one state per lane.
  let a0 = K0;
  let a1 = K1 ^ 0xee;
  let a2 = K0 ^ 0x6c796765;
  let a3 = K1 ^ 0x74656462;
  let b0 = K2;
  let b1 = K3 ^ 0xee;
  let b2 = K2 ^ 0x6c796765;
  let b3 = K3 ^ 0x74656462;
  for (let i = 0; i < n; i++) {
    const m = w[i]!;
    a3 ^= m;
    b3 ^= m;
    for (let r = 0; r < 2; r++) {
      a0 = (a0 + a1) | 0;
      a1 = (a1 << 5) | (a1 >>> 27);
      a1 ^= a0;
      a0 = (a0 << 16) | (a0 >>> 16);
      a2 = (a2 + a3) | 0;
      a3 = (a3 << 8) | (a3 >>> 24);
      a3 ^= a2;
      a0 = (a0 + a3) | 0;
      a3 = (a3 << 7) | (a3 >>> 25);
      a3 ^= a0;
      a2 = (a2 + a1) | 0;
      a1 = (a1 << 13) | (a1 >>> 19);
      a1 ^= a2;
      a2 = (a2 << 16) | (a2 >>> 16);
      b0 = (b0 + b1) | 0;
      b1 = (b1 << 5) | (b1 >>> 27);
      b1 ^= b0;
      b0 = (b0 << 16) | (b0 >>> 16);
      b2 = (b2 + b3) | 0;
      b3 = (b3 << 8) | (b3 >>> 24);
      b3 ^= b2;
      b0 = (b0 + b3) | 0;
      b3 = (b3 << 7) | (b3 >>> 25);
      b3 ^= b0;
      b2 = (b2 + b1) | 0;
      b1 = (b1 << 13) | (b1 >>> 19);
      b1 ^= b2;
      b2 = (b2 << 16) | (b2 >>> 16);
    }
    a0 ^= m;
    b0 ^= m;
  }
  a2 ^= 0xee;
  b2 ^= 0xee;
  for (let half = 0; half < 2; half++) {
    for (let r = 0; r < 4; r++) {
      a0 = (a0 + a1) | 0;
      a1 = (a1 << 5) | (a1 >>> 27);
      a1 ^= a0;
      a0 = (a0 << 16) | (a0 >>> 16);
      a2 = (a2 + a3) | 0;
      a3 = (a3 << 8) | (a3 >>> 24);
      a3 ^= a2;
      a0 = (a0 + a3) | 0;
      a3 = (a3 << 7) | (a3 >>> 25);
      a3 ^= a0;
      a2 = (a2 + a1) | 0;
      a1 = (a1 << 13) | (a1 >>> 19);
      a1 ^= a2;
      a2 = (a2 << 16) | (a2 >>> 16);
      b0 = (b0 + b1) | 0;
      b1 = (b1 << 5) | (b1 >>> 27);
      b1 ^= b0;
      b0 = (b0 << 16) | (b0 >>> 16);
      b2 = (b2 + b3) | 0;
      b3 = (b3 << 8) | (b3 >>> 24);
      b3 ^= b2;
      b0 = (b0 + b3) | 0;
      b3 = (b3 << 7) | (b3 >>> 25);
      b3 ^= b0;
      b2 = (b2 + b1) | 0;
      b1 = (b1 << 13) | (b1 >>> 19);
      b1 ^= b2;
      b2 = (b2 << 16) | (b2 >>> 16);
    }
    D[half] = a1 ^ a3;
    D[half + 2] = b1 ^ b3;
    a1 ^= 0xdd;
    b1 ^= 0xdd;
  }
}
