// Memory per entry of the service's nonce cache (dist/throttle/nonce-cache.js), measured in its own
// process with --expose-gc: heap after inserting N SDK-shaped entries (24-char AccessKeyId, 32-hex
// nonce) minus heap before. Prints {"entries":N,"bytesPerEntry":B}.
import { randomBytes } from 'node:crypto';

const { MemoryNonceCache } = await import('../dist/throttle/nonce-cache.js');
const N = Number(process.argv[2] ?? 200_000);
const keys = Array.from({ length: 2000 }, (_, i) => `LTAI${String(i).padStart(20, '0')}`);
const hex = randomBytes(16 * N).toString('hex');
const gc = globalThis.gc;
gc();
const before = process.memoryUsage().heapUsed;
const cache = new MemoryNonceCache();
const now = Date.now();
for (let i = 0; i < N; i++) {
  cache.rememberSync(keys[i % keys.length], hex.slice(32 * i, 32 * i + 32), now + Math.floor(i / 1000));
}
gc();
const after = process.memoryUsage().heapUsed;
// The nonce strings handed in are slices of one big string in this test; in the service each nonce is
// its own header string, which the cache keeps only through its concatenated key. So the measure is
// the map entry plus the key string, as in the service.
process.stdout.write(`${JSON.stringify({ entries: cache.size, bytesPerEntry: (after - before) / N })}\n`);
