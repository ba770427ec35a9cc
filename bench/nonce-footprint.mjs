// Memory per entry of the service's nonce cache (dist/throttle/nonce-cache.js), measured in its own
// process with --expose-gc: memory after inserting N SDK-shaped entries (24-char AccessKeyId, 32-hex
// nonce, whole-second timestamps) minus memory before, divided by the live entries. The cache keeps its
// entries in typed arrays, whose backing stores are outside the V8 heap, so the measure is heapUsed +
// external (external includes arrayBuffers); the rss delta is printed alongside as a cross-check.
// Then the time per rememberSync() on a fresh cache, nonces built beforehand (so the growth resizes
// are included, the string building is not). Prints {"entries":N,"bytesPerEntry":B,...}; bench/run.mjs
// reads bytesPerEntry. `capacity` is the slots allocated (20 bytes each), counting the old table too if
// a resize is still moving entries out of it when the insertions end.
import { setTimeout as sleep } from 'node:timers/promises';

const { MemoryNonceCache } = await import('../dist/throttle/nonce-cache.js');
const N = Number(process.argv[2] ?? 200_000);
const keys = Array.from({ length: 2000 }, (_, i) => `LTAI${String(i).padStart(20, '0')}`);

// A small xorshift generator for the nonces: each is built as one flat string on the V8 heap (as the
// HTTP parser builds a header value) and is garbage once handed in, with no Buffer whose release would
// blur `external`.
let x = 0x9e3779b9;
const HEX = [...'0123456789abcdef'].map((c) => c.charCodeAt(0));
const codes = new Array(32);
const nonce = () => {
  for (let i = 0; i < 32; i += 8) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    for (let k = 0; k < 8; k++) codes[i + k] = HEX[(x >>> (4 * k)) & 15];
  }
  return String.fromCharCode(...codes);
};
// Request timestamps are whole seconds; one request in ten a few seconds old, as through a slow proxy.
const now = Math.floor(Date.now() / 1000) * 1000;
const at = (i) => now + Math.floor(i / 1000) * 1000;
const stampOf = (i) => (i % 10 === 0 ? at(i) - 3000 : at(i));

const gc = globalThis.gc;
if (typeof gc !== 'function') throw new Error('run with node --expose-gc');
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(50);
  }
};
await settle();
const before = process.memoryUsage();
const cache = new MemoryNonceCache();
for (let i = 0; i < N; i++) cache.rememberSync(keys[i % keys.length], nonce(), stampOf(i), at(i));
await settle();
const after = process.memoryUsage();
const live = cache.size;
const perEntry = (field) => (after[field] - before[field]) / live;

const nonces = Array.from({ length: N }, nonce);
const timed = new MemoryNonceCache();
const started = process.hrtime.bigint();
for (let i = 0; i < N; i++) timed.rememberSync(keys[i % keys.length], nonces[i], stampOf(i), at(i));
const nsPerRemember = Number(process.hrtime.bigint() - started) / N;

process.stdout.write(
  `${JSON.stringify({
    entries: live,
    bytesPerEntry: perEntry('heapUsed') + perEntry('external'),
    heapBytesPerEntry: perEntry('heapUsed'),
    externalBytesPerEntry: perEntry('external'),
    arrayBuffersBytesPerEntry: perEntry('arrayBuffers'),
    rssBytesPerEntry: perEntry('rss'),
    capacity: cache.capacity,
    nsPerRemember,
  })}\n`,
);
