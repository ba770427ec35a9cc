/**
 * Flow control under load: three RAM users of one account fire bursts of AddChatappPhoneNumber over
 * ~2.5 seconds. The limiter is the real MemoryFlowLimiter, wrapped to record every admission.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryFlowLimiter, type FlowLimiter } from '../../src/throttle/flow-limiter.js';
import { camsClient, startServer, type SdkError, type TestServer } from '../support/server.js';
import { addRequest, expectSdkError, otherAccount, phoneRows, phoneSequence, ramUser } from './helpers.js';
import { busiestWindow } from '../support/windows.js';

class RecordingLimiter implements FlowLimiter {
  readonly #inner = new MemoryFlowLimiter();
  /** Admission times (server clock) per key. */
  readonly admissions = new Map<string, number[]>();

  async tryAcquire(key: string, limit: number, nowMs: number): Promise<boolean> {
    const admitted = await this.#inner.tryAcquire(key, limit, nowMs);
    if (admitted) this.admissions.set(key, [...(this.admissions.get(key) ?? []), nowMs]);
    return admitted;
  }
}

let s: TestServer;
const limiter = new RecordingLimiter();
const phone = phoneSequence(1000);
beforeAll(async () => {
  s = await startServer({}, { limiter });
});
afterAll(() => s.close());

describe('flow control', () => {
  it('busiestWindow counts a half-open window', () => {
    expect(busiestWindow([0, 999, 1000])).toBe(2);
    expect(busiestWindow([0, 0, 0, 500, 1500])).toBe(4);
    expect(busiestWindow([])).toBe(0);
  });

  describe('three RAM users of one account, six bursts of 15 calls 500 ms apart', () => {
    let ok: Array<PromiseSettledResult<unknown>> = [];
    let refused: SdkError[] = [];
    let otherOutcomes: Array<PromiseSettledResult<unknown>> = [];
    let other: Awaited<ReturnType<typeof otherAccount>>;

    beforeAll(async () => {
      const users = await Promise.all(
        ['burst-a', 'burst-b', 'burst-c'].map((name) =>
          ramUser(s, s.root.accountId, name, ['AliyunCamsFullAccess']),
        ),
      );
      const clients = users.map((u) => camsClient(s, u));
      other = await otherAccount(s, 'bystander');
      const otherClient = camsClient(s, other);

      const outcomes: Array<PromiseSettledResult<unknown>> = [];
      const start = Date.now();
      for (let burst = 0; burst < 6; burst++) {
        await sleep(Math.max(0, start + burst * 500 - Date.now()));
        const calls = clients.flatMap((client) =>
          Array.from({ length: 5 }, () =>
            client.addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone())),
          ),
        );
        // In the middle of the run, while the first account is saturated, another account calls too.
        const bystander =
          burst === 3
            ? Array.from({ length: 5 }, () =>
                otherClient.addChatappPhoneNumber(addRequest(other.custSpaceId, phone())),
              )
            : [];
        const [mine, theirs] = await Promise.all([Promise.allSettled(calls), Promise.allSettled(bystander)]);
        outcomes.push(...mine);
        otherOutcomes = otherOutcomes.concat(theirs);
      }
      ok = outcomes.filter((o) => o.status === 'fulfilled');
      refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as SdkError] : []));
      expect(ok.length + refused.length).toBe(90);
    });

    it('no sliding second holds more than 10 admissions of the account, over several seconds', () => {
      const admissions = limiter.admissions.get(`${s.root.accountId}:AddChatappPhoneNumber`) ?? [];
      expect(busiestWindow(admissions)).toBeLessThanOrEqual(10);
      expect(admissions.length).toBeGreaterThanOrEqual(20);
      expect(admissions.length).toBe(ok.length);
    });

    it('calls over the limit are refused with System.LimitControl', () => {
      expect(refused.length).toBeGreaterThan(0);
      for (const err of refused) {
        expectSdkError(err, 'System.LimitControl', 400, 'The system is under flow control.');
      }
    });

    it('refused calls left no record: rows equal successful responses', async () => {
      expect((await phoneRows(s, s.root.accountId)).length).toBe(ok.length);
    });

    it("another account is not affected by the first account's bursts", async () => {
      expect(otherOutcomes).toHaveLength(5);
      expect(otherOutcomes.every((o) => o.status === 'fulfilled')).toBe(true);
      expect(await phoneRows(s, other.accountId)).toHaveLength(5);
    });
  });
});
