// The benchmark's requests, signed before each round (never on the hot path), and the checks of their
// answers. Shared by bench/run.mjs and bench/metrics-ab.mjs.
import { NonceSource, signedRequest, timestamp } from './sign.mjs';

/**
 * Signs pools of AddChatappPhoneNumber / QueryChatappPhoneNumbers requests for the seeded accounts
 * (bench/serve-entry.mjs). Nonces are unique and each Add number (+86 138xxxxxxxx) is used once in the
 * whole run, whichever server it goes to.
 */
export class Requests {
  #nonces = new NonceSource();
  #nextPhone = 0;
  #cursors = { add: 0, query: 0 };

  /**
   * `count` signed requests of `pathName` (add, query) for `host`, round-robin over the accounts so that
   * no account sees more than rate/accounts calls per second. `consume` = false builds the bare server's
   * cyclic pool without taking phone numbers or moving the account cursor.
   */
  presign(pathName, host, accounts, count, consume = true) {
    const date = timestamp();
    const out = new Array(count);
    let cursor = consume ? this.#cursors[pathName] : 0;
    for (let i = 0; i < count; i++) {
      const a = accounts[cursor++ % accounts.length];
      const key = { accessKeyId: a.accessKeyId, accessKeySecret: a.accessKeySecret };
      out[i] =
        pathName === 'add'
          ? signedRequest({
              host,
              action: 'AddChatappPhoneNumber',
              body: {
                Cc: '86',
                CustSpaceId: a.addSpaceId,
                PhoneNumber: `138${String(consume ? this.#nextPhone++ : 99_999_999 - i).padStart(8, '0')}`,
                VerifiedName: 'Bench Co',
              },
              key,
              nonce: this.#nonces.next(),
              date,
            })
          : signedRequest({
              host,
              action: 'QueryChatappPhoneNumbers',
              query: { CustSpaceId: a.querySpaceId },
              key,
              nonce: this.#nonces.next(),
              date,
            });
    }
    if (consume) this.#cursors[pathName] = cursor;
    return out;
  }
}

/** The action each path calls. */
export const ACTIONS = { add: 'AddChatappPhoneNumber', query: 'QueryChatappPhoneNumbers' };

/** Factories of body checks (a 200 answer with Code OK must also pass these). */
export const checks = {
  bare: () => () => true,
  add: () => () => true,
  // An answer lists at most 25 numbers (src/actions/paging.ts), whatever --query-numbers seeds.
  query: (expected) => (json) =>
    Array.isArray(json.PhoneNumbers) && json.PhoneNumbers.length === Math.min(expected, 25),
};

/** The check of a path's answers from `svc` (its seed says how many numbers a Query returns). */
export const checkOf = (pathName, svc) =>
  pathName === 'query' ? checks.query(svc.queryNumbers) : checks.add();

/** The median of the finite values of `xs` (NaN if none). */
export const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
