import { describe, expect, it } from 'vitest';
import { MAX_SKEW_MS, MemoryNonceCache, nonceExpiresAt } from './nonce-cache.js';

/** A whole second, as request timestamps are (`yyyy-MM-ddTHH:mm:ssZ`). */
const T = 1_700_000_000_000;
const MIN = 60_000;

describe('MemoryNonceCache', () => {
  it('keeps a nonce until its request fails the ±15-minute timestamp check, inclusive', () => {
    expect(MAX_SKEW_MS).toBe(15 * MIN);
    expect(nonceExpiresAt(T)).toBe(T + MAX_SKEW_MS);
    const cache = new MemoryNonceCache();
    expect(cache.rememberSync('AK', 'n', T, T)).toBe(true);
    expect(cache.rememberSync('AK', 'n', T, T + MAX_SKEW_MS - 1)).toBe(false);
    expect(cache.rememberSync('AK', 'n', T, T + MAX_SKEW_MS)).toBe(false);
    expect(cache.rememberSync('AK', 'n', T, T + MAX_SKEW_MS + 1)).toBe(true);
    // That request could not pass the timestamp check any more, so there was nothing to keep; a new one
    // with the same nonce is accepted and kept.
    expect(cache.size).toBe(0);
    expect(cache.rememberSync('AK', 'n', T + MAX_SKEW_MS, T + MAX_SKEW_MS + 1)).toBe(true);
    expect(cache.rememberSync('AK', 'n', T + MAX_SKEW_MS, T + MAX_SKEW_MS + 1)).toBe(false);
  });

  it('refuses a replay', () => {
    const cache = new MemoryNonceCache();
    expect(cache.rememberSync('AK', 'nonce-1', T, T)).toBe(true);
    expect(cache.rememberSync('AK', 'nonce-1', T, T)).toBe(false);
    expect(cache.rememberSync('AK', 'nonce-1', T, T + MIN)).toBe(false);
    expect(cache.rememberSync('AK', 'nonce-2', T, T)).toBe(true);
  });

  it("follows the request's timestamp: stamped 14 minutes ago, kept 1 minute; 14 minutes ahead, 29", () => {
    const cache = new MemoryNonceCache();
    const past = T - 14 * MIN;
    const ahead = T + 14 * MIN;
    expect(cache.rememberSync('AK', 'past', past, T)).toBe(true);
    expect(cache.rememberSync('AK', 'ahead', ahead, T)).toBe(true);
    expect(cache.size).toBe(2);
    expect(cache.rememberSync('AK', 'past', past, T + MIN)).toBe(false);
    expect(cache.rememberSync('AK', 'past', past, T + MIN + 1)).toBe(true);
    expect(cache.rememberSync('AK', 'ahead', ahead, T + 29 * MIN)).toBe(false);
    expect(cache.rememberSync('AK', 'ahead', ahead, T + 29 * MIN + 1)).toBe(true);
  });

  it('never forgets before the timestamp + skew, also for timestamps between whole seconds', () => {
    const cache = new MemoryNonceCache();
    const stamp = T + 1234;
    expect(cache.rememberSync('AK', 'n', stamp, T)).toBe(true);
    expect(cache.rememberSync('AK', 'n', stamp, stamp + MAX_SKEW_MS)).toBe(false);
    // Expiries are whole seconds rounded up: kept at most one second longer.
    expect(cache.rememberSync('AK', 'n', stamp, stamp + MAX_SKEW_MS + 1000)).toBe(true);
  });

  it('a refused replay does not extend the retention, even stamped later', () => {
    const cache = new MemoryNonceCache();
    expect(cache.rememberSync('AK', 'n', T, T)).toBe(true);
    expect(cache.rememberSync('AK', 'n', T + 10 * MIN, T + 10 * MIN)).toBe(false);
    expect(cache.rememberSync('AK', 'n', T + 10 * MIN, T + MAX_SKEW_MS + 1)).toBe(true);
  });

  it('keeps access keys independent', () => {
    const cache = new MemoryNonceCache();
    expect(cache.rememberSync('AK1', 'same', T, T)).toBe(true);
    expect(cache.rememberSync('AK2', 'same', T, T)).toBe(true);
    expect(cache.rememberSync('AK1', 'same', T, T)).toBe(false);
    expect(cache.rememberSync('AK2', 'same', T, T)).toBe(false);
  });

  it('does not confuse pairs that concatenate or pack alike', () => {
    const cache = new MemoryNonceCache();
    const pairs: [string, string][] = [
      ['AK', 'Xnonce'],
      ['AKX', 'nonce'],
      ['', 'AKXnonce'],
      ['AKXnonce', ''],
      ['AK', 'n'],
      ['AK', 'n\u0000'],
      ['AK', '\u0000n'],
      ['AK', 'nn'],
      ['AK', '\u6e6e'],
      ['AK', '\u0100'],
      ['AK', '\u0000\u0001'],
      ['AK\u00ff', 'n'],
      ['AK\u0100', 'n'],
      ['AK', '\ud83d\ude00'],
      ['AK', '\ude00\ud83d'],
    ];
    for (const [key, nonce] of pairs) expect(cache.rememberSync(key, nonce, T, T)).toBe(true);
    for (const [key, nonce] of pairs) expect(cache.rememberSync(key, nonce, T, T)).toBe(false);
    expect(cache.size).toBe(pairs.length);
  });

  it('handles nonces longer than its scratch buffer', () => {
    const cache = new MemoryNonceCache();
    const long = 'x'.repeat(10_000);
    expect(cache.rememberSync('AK', long, T, T)).toBe(true);
    expect(cache.rememberSync('AK', `${long}y`, T, T)).toBe(true);
    expect(cache.rememberSync('AK', long, T, T)).toBe(false);
    expect(cache.rememberSync('AK', 'short', T, T)).toBe(true);
  });

  it('grows past its initial capacity and keeps every live entry', () => {
    const cache = new MemoryNonceCache({ initialCapacity: 16 });
    expect(cache.capacity).toBe(16);
    const n = 200_000;
    const nonce = (i: number) => `${i.toString(16).padStart(8, '0')}3156853299f313e23d1673dc`;
    let accepted = 0;
    for (let i = 0; i < n; i++) {
      if (cache.rememberSync(`LTAI${i % 2000}`, nonce(i), T, T + Math.floor(i / 100))) accepted++;
    }
    expect(accepted).toBe(n);
    expect(cache.size).toBe(n);
    // While a resize is in progress the old table is still allocated (and searched).
    expect(cache.capacity).toBeLessThan(3.1 * n);
    let replays = 0;
    for (let i = 0; i < n; i++) if (!cache.rememberSync(`LTAI${i % 2000}`, nonce(i), T, T + 5000)) replays++;
    expect(replays).toBe(n);
    expect(cache.size).toBe(n);
    // Moved by now: 25-36 bytes per entry.
    expect(cache.capacity).toBeGreaterThan(n / 0.8);
    expect(cache.capacity).toBeLessThanOrEqual(Math.ceil(n / 0.55));
  });

  it('answers as a plain map of expiries would, through growth, sweeping and shrinking', () => {
    // A small skew so that entries expire all the time, a small pool of nonces so that replays are
    // frequent, and bursts so that segments grow and shrink.
    const skewMs = 5000;
    const cache = new MemoryNonceCache({ skewMs });
    const model = new Map<string, number>();
    let seed = 12345;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    let now = T;
    let mismatches = 0;
    for (let step = 0; step < 300_000; step++) {
      const phase = Math.floor(step / 50_000) % 2;
      now += phase === 0 ? random(3) : random(200);
      const key = `AK${random(3)}`;
      const nonce = `n${random(phase === 0 ? 40_000 : 2_000)}`;
      const requestMs = now - skewMs + random(2 * skewMs + 1);
      const expiry = Math.ceil((requestMs + skewMs) / 1000);
      const tick = Math.ceil(now / 1000);
      const id = `${key}:${nonce}`;
      const kept = model.get(id);
      const expected = !(kept !== undefined && kept >= tick);
      if (expected) model.set(id, expiry);
      if (cache.rememberSync(key, nonce, requestMs, now) !== expected) mismatches++;
      if (step % 10_000 === 0) {
        for (const [k, e] of model) if (e < tick) model.delete(k);
        expect(cache.size).toBe(model.size);
      }
    }
    expect(mismatches).toBe(0);
  });

  it('counts only live entries, whatever order they expire in', () => {
    const cache = new MemoryNonceCache();
    // Entry i expires at T + i seconds; inserted in a scrambled order.
    for (let k = 0; k < 10; k++) {
      const i = (k * 7) % 10;
      cache.rememberSync('AK', `n${i}`, T - MAX_SKEW_MS + i * 1000, T);
    }
    expect(cache.size).toBe(10);
    cache.advance(T + 4500);
    expect(cache.size).toBe(5);
    expect(cache.rememberSync('AK', 'n4', T - MAX_SKEW_MS + 4000, T + 4500)).toBe(true);
    expect(cache.rememberSync('AK', 'n5', T - MAX_SKEW_MS + 5000, T + 4500)).toBe(false);
    expect(cache.size).toBe(5);
    cache.advance(T + 10_000);
    expect(cache.size).toBe(0);
  });

  it('reclaims memory: size returns to 0 and capacity stays bounded over many generations', () => {
    const cache = new MemoryNonceCache();
    const perGeneration = 10_000;
    let t = T;
    for (let g = 0; g < 60; g++) {
      // Each generation is stamped so that it expires one minute after it is received.
      const stamp = t - MAX_SKEW_MS + MIN;
      let accepted = 0;
      for (let i = 0; i < perGeneration; i++)
        if (cache.rememberSync(`AK${i % 7}`, `g${g}-${i}`, stamp, t)) accepted++;
      expect(accepted).toBe(perGeneration);
      expect(cache.size).toBe(perGeneration);
      expect(cache.capacity).toBeLessThanOrEqual(2 * perGeneration);
      t += MIN + 1000;
    }
    cache.advance(t);
    expect(cache.size).toBe(0);
  });

  it('shrinks back after a burst', () => {
    const cache = new MemoryNonceCache();
    const initial = cache.capacity;
    expect(initial).toBe(1024);
    for (let i = 0; i < 100_000; i++) cache.rememberSync('AK', `burst-${i}`, T - MAX_SKEW_MS + 1000, T);
    const peak = cache.capacity;
    expect(peak).toBeGreaterThan(100_000);
    // Then a trickle: ten requests a second, each kept one second.
    let t = T + 2000;
    let accepted = 0;
    for (let i = 0; i < peak; i++, t += 100) {
      if (cache.rememberSync('AK', `trickle-${i}`, t - MAX_SKEW_MS + 1000, t)) accepted++;
    }
    expect(accepted).toBe(peak);
    expect(cache.size).toBeLessThanOrEqual(20);
    expect(cache.capacity).toBe(initial);
  });

  it('keeps what it is given by the clock it is given, even when that clock went back', () => {
    const cache = new MemoryNonceCache();
    // (What had expired by the later clock may have been swept meanwhile, as by a steady clock.)
    expect(cache.rememberSync('AK', 'later', T + 20 * MIN, T + 20 * MIN)).toBe(true);
    expect(cache.rememberSync('AK', 'new', T, T + MIN)).toBe(true);
    expect(cache.rememberSync('AK', 'new', T, T + 2 * MIN)).toBe(false);
    expect(cache.rememberSync('AK', 'later', T + 20 * MIN, T + 2 * MIN)).toBe(false);
  });

  it('keeps nothing for a request that already fails the timestamp check', () => {
    const cache = new MemoryNonceCache();
    expect(cache.rememberSync('AK', 'stale', T - MAX_SKEW_MS - 1000, T)).toBe(true);
    expect(cache.size).toBe(0);
  });

  it('the async interface answers as the sync one', async () => {
    const cache = new MemoryNonceCache();
    expect(await cache.remember('AK', 'n', T, T)).toBe(true);
    expect(await cache.remember('AK', 'n', T, T)).toBe(false);
  });
});
