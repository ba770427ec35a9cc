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

/** The four state words of each lane: lane a at 0-3, lane b at 4-7. */
const V = new Int32Array(8);

/** `rounds` SipRounds of HalfSipHash on the lane at `o`. */
function sipRounds(o: number, rounds: number): void {
  let v0 = V[o]!;
  let v1 = V[o + 1]!;
  let v2 = V[o + 2]!;
  let v3 = V[o + 3]!;
  for (let r = 0; r < rounds; r++) {
    v0 = (v0 + v1) | 0;
    v1 = (v1 << 5) | (v1 >>> 27);
    v1 ^= v0;
    v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0;
    v3 = (v3 << 8) | (v3 >>> 24);
    v3 ^= v2;
    v0 = (v0 + v3) | 0;
    v3 = (v3 << 7) | (v3 >>> 25);
    v3 ^= v0;
    v2 = (v2 + v1) | 0;
    v1 = (v1 << 13) | (v1 >>> 19);
    v1 ^= v2;
    v2 = (v2 << 16) | (v2 >>> 16);
  }
  V[o] = v0;
  V[o + 1] = v1;
  V[o + 2] = v2;
  V[o + 3] = v3;
}

/** HalfSipHash-2-4 with a 64-bit output of the packed words, keyed (k0, k1), into D[2·lane], D[2·lane+1]. */
function lane(lane: number, k0: number, k1: number, n: number): void {
  const o = lane * 4;
  V[o] = k0;
  V[o + 1] = k1 ^ 0xee; // the 64-bit-output variant
  V[o + 2] = k0 ^ 0x6c796765;
  V[o + 3] = k1 ^ 0x74656462;
  for (let i = 0; i < n; i++) {
    const m = words[i]!;
    V[o + 3]! ^= m;
    sipRounds(o, 2);
    V[o]! ^= m;
  }
  V[o + 2]! ^= 0xee;
  sipRounds(o, 4);
  D[lane * 2] = V[o + 1]! ^ V[o + 3]!;
  V[o + 1]! ^= 0xdd;
  sipRounds(o, 4);
  D[lane * 2 + 1] = V[o + 1]! ^ V[o + 3]!;
}

/** Computes the digest of (accessKeyId, nonce) into D: two lanes with their own halves of the key. */
export function digest(accessKeyId: string, nonce: string): void {
  const need = 2 + ((accessKeyId.length + 1) >> 1) + ((nonce.length + 1) >> 1);
  if (need > words.length) words = new Int32Array(need * 2);
  const n = pack(nonce, pack(accessKeyId, 0));
  lane(0, K0, K1, n);
  lane(1, K2, K3, n);
}
