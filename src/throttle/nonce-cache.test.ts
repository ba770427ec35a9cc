import { describe, expect, it } from 'vitest';
import { MemoryNonceCache, NONCE_RETENTION_MS } from './nonce-cache.js';

const T = 1_700_000_000_000;

describe('MemoryNonceCache', () => {
  it('keeps nonces 30 minutes by default (twice the 15-minute timestamp skew)', () => {
    expect(NONCE_RETENTION_MS).toBe(30 * 60 * 1000);
    const cache = new MemoryNonceCache();
    expect(cache.rememberSync('AK', 'n', T)).toBe(true);
    expect(cache.rememberSync('AK', 'n', T + NONCE_RETENTION_MS - 1)).toBe(false);
    expect(cache.rememberSync('AK', 'n', T + NONCE_RETENTION_MS)).toBe(true);
  });

  it('refuses a replay', () => {
    const cache = new MemoryNonceCache();
    expect(cache.rememberSync('AK', 'nonce-1', T)).toBe(true);
    expect(cache.rememberSync('AK', 'nonce-1', T)).toBe(false);
    expect(cache.rememberSync('AK', 'nonce-1', T + 60_000)).toBe(false);
    expect(cache.rememberSync('AK', 'nonce-2', T)).toBe(true);
  });

  it('keeps access keys independent', () => {
    const cache = new MemoryNonceCache();
    expect(cache.rememberSync('AK1', 'same', T)).toBe(true);
    expect(cache.rememberSync('AK2', 'same', T)).toBe(true);
    expect(cache.rememberSync('AK1', 'same', T)).toBe(false);
    expect(cache.rememberSync('AK2', 'same', T)).toBe(false);
  });

  it('does not confuse keys and nonces that concatenate alike', () => {
    const cache = new MemoryNonceCache();
    expect(cache.rememberSync('AK', 'Xnonce', T)).toBe(true);
    expect(cache.rememberSync('AKX', 'nonce', T)).toBe(true);
  });

  it('forgets a nonce after the retention', () => {
    const cache = new MemoryNonceCache(1000);
    expect(cache.rememberSync('AK', 'n', T)).toBe(true);
    expect(cache.rememberSync('AK', 'n', T + 999)).toBe(false);
    expect(cache.rememberSync('AK', 'n', T + 1000)).toBe(true);
    // Remembered again from t+1000.
    expect(cache.rememberSync('AK', 'n', T + 1999)).toBe(false);
  });

  it('a refused replay does not extend the retention', () => {
    const cache = new MemoryNonceCache(1000);
    expect(cache.rememberSync('AK', 'n', T)).toBe(true);
    expect(cache.rememberSync('AK', 'n', T + 900)).toBe(false);
    expect(cache.rememberSync('AK', 'n', T + 1000)).toBe(true);
  });

  it('is bounded in size once nonces expire', () => {
    const cache = new MemoryNonceCache(1000);
    for (let i = 0; i < 5000; i++) expect(cache.rememberSync('AK', `n${i}`, T + (i % 500))).toBe(true);
    expect(cache.size).toBe(5000);
    cache.rememberSync('AK', 'late', T + 1499);
    // Everything remembered at t .. t+499 has expired by t+1499.
    expect(cache.size).toBe(1);
  });

  it('expires partially: only what is older than the retention', () => {
    const cache = new MemoryNonceCache(1000);
    for (let i = 0; i < 10; i++) cache.rememberSync('AK', `n${i}`, T + i * 100);
    cache.rememberSync('AK', 'probe', T + 1450);
    // n0..n4 (t .. t+400) expired; n5..n9 and the probe remain.
    expect(cache.size).toBe(6);
    expect(cache.rememberSync('AK', 'n4', T + 1450)).toBe(true);
    expect(cache.rememberSync('AK', 'n5', T + 1450)).toBe(false);
  });

  it('the async interface answers as the sync one', async () => {
    const cache = new MemoryNonceCache();
    expect(await cache.remember('AK', 'n', T)).toBe(true);
    expect(await cache.remember('AK', 'n', T)).toBe(false);
  });
});
