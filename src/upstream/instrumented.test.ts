import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../errors/index.js';
import { instrumented, type UpstreamOutcome } from './instrumented.js';
import type { WhatsAppProvider } from './provider.js';

const transient = new UpstreamError({ message: 'busy', code: 2, httpStatus: 503, transient: true });
const rejected = new UpstreamError({ message: 'bad', code: 100, subcode: 33, httpStatus: 400 });
const broken = new TypeError('socket closed');

/** A provider whose every operation answers or throws what the test set up, bound to its own `this`. */
class Scripted {
  readonly readsAreLocal = true;
  readonly name = 'scripted';
  async listPhoneNumbers(wabaId: string) {
    return [{ id: `${this.name}:${wabaId}` }];
  }
  async getWaba(): Promise<never> {
    throw transient;
  }
  async getPhoneNumber(): Promise<never> {
    throw rejected;
  }
  async register(): Promise<never> {
    throw broken;
  }
}

describe('instrumented provider', () => {
  it('passes calls, results and errors through unchanged and tells each outcome', async () => {
    const seen: Array<[string, UpstreamOutcome]> = [];
    const p = instrumented(new Scripted() as unknown as WhatsAppProvider, (op, outcome, seconds) => {
      expect(seconds).toBeGreaterThanOrEqual(0);
      seen.push([op, outcome]);
    });
    expect(p.readsAreLocal).toBe(true);
    expect(await p.listPhoneNumbers('w1')).toEqual([{ id: 'scripted:w1' }]);
    await expect(p.getWaba('w1')).rejects.toBe(transient);
    await expect(p.getPhoneNumber('n1')).rejects.toBe(rejected);
    await expect(p.register('n1', '123456')).rejects.toBe(broken);
    expect(seen).toEqual([
      ['listPhoneNumbers', 'ok'],
      ['getWaba', 'transient'],
      ['getPhoneNumber', 'rejected'],
      ['register', 'failed'],
    ]);
  });
});
