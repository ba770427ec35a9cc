import type { Kysely } from 'kysely';
import type { UnitOfWork } from './durability.js';
import { prepared, type Arg } from './prepared.js';
import { groupCommitOfAny } from './sqlite/group-commit.js';
import type { Database } from './schema.js';

/**
 * Takes (access_key_id, nonce) for the request stamped so that it expires at `expires_at`: one
 * statement, atomic on both engines, so of two instances on one PostgreSQL racing with the same captured
 * request exactly one inserts the row.
 */
const CLAIM = prepared(
  (db: Kysely<Database>, arg: Arg<{ access_key_id: string; nonce: string; expires_at: number }>) =>
    db
      .insertInto('request_nonces')
      .values({ expires_at: arg('expires_at'), access_key_id: arg('access_key_id'), nonce: arg('nonce') })
      .onConflict((oc) => oc.columns(['expires_at', 'access_key_id', 'nonce']).doNothing()),
);

/** The row of that request, if any (a point lookup on the primary key). */
const FIND = prepared(
  (db: Kysely<Database>, arg: Arg<{ access_key_id: string; nonce: string; expires_at: number }>) =>
    db
      .selectFrom('request_nonces')
      .select('expires_at')
      .where('expires_at', '=', arg('expires_at'))
      .where('access_key_id', '=', arg('access_key_id'))
      .where('nonce', '=', arg('nonce')),
);

/** The last expiry of the rows present: those of earlier processes, when read before this one wrote. */
const LAST_EXPIRY = prepared((db: Kysely<Database>) =>
  db.selectFrom('request_nonces').select((eb) => eb.fn.max('expires_at').as('last')),
);

/**
 * The request_nonces table (014-request-nonces), on SQLite and PostgreSQL alike: the signature nonces
 * of the requests that change state, written in the request's unit of work (gateway/route.ts), so a
 * nonce is as durable as the writes it protects and a restart does not forget it.
 */
export class RequestNoncesRepo {
  readonly #db: Kysely<Database>;
  /** Until when a row of an earlier process may be live (read at the first claim with a unit). */
  #earlierUntil: Promise<number> | undefined;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /**
   * True when (accessKeyId, nonce) of the request expiring at `expiresAtMs` is recorded now; false when
   * it was already (a copy of that request: its timestamp, hence its expiry, is signed). With the
   * request's unit of work on the serving SQLite handle, the row is written at the unit's end, with the
   * request's last writes: as durable as they are, in one commit.
   */
  async claim(
    accessKeyId: string,
    nonce: string,
    expiresAtMs: number,
    nowMs: number,
    unit?: UnitOfWork,
  ): Promise<boolean> {
    const args = { access_key_id: accessKeyId, nonce, expires_at: expiresAtMs };
    if (unit !== undefined && groupCommitOfAny(this.#db) !== undefined) {
      // One process, whose callers keep their own in-memory table of the nonces it saw
      // (throttle/stored-nonce-cache.ts): only the rows of earlier processes need a read, and only
      // until the last of them has expired; the write goes with the request's.
      this.#earlierUntil ??= LAST_EXPIRY.first(this.#db, {}).then(
        (r) => Number(r?.last ?? 0),
        (error: unknown) => {
          this.#earlierUntil = undefined; // read again by the next claim
          throw error;
        },
      );
      if (nowMs <= (await this.#earlierUntil) && (await FIND.first(this.#db, args)) !== undefined) {
        return false;
      }
      unit.atEnd(() => CLAIM.changed(this.#db, args));
      return true;
    }
    // PostgreSQL (instances race: the one statement decides) and plain SQLite: claimed now.
    return (await CLAIM.changed(this.#db, args)) === 1;
  }

  /** Deletes up to `batch` rows expired before `nowMs`, oldest first; returns how many. */
  async prune(nowMs: number, batch: number): Promise<number> {
    const expired = this.#db
      .selectFrom('request_nonces')
      .select('expires_at')
      .where('expires_at', '<', nowMs)
      .orderBy('expires_at')
      .limit(1)
      .offset(batch - 1);
    // Everything expired up to the batch's last expiry (a few more on a tie), or all of it when fewer.
    const bound = await expired.executeTakeFirst();
    const result = await this.#db
      .deleteFrom('request_nonces')
      .where('expires_at', '<', bound === undefined ? nowMs : Math.min(nowMs, Number(bound.expires_at) + 1))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
