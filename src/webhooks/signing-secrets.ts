import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { WebhookTables } from './tables.js';

/** Binds a sealed secret to its account, so a ciphertext copied to another account's row does not open. */
function associatedData(accountId: string): string {
  return `webhook_secret:${accountId}`;
}

/** 256 random bits; the prefix lets secret scanners recognise a leaked webhook secret. */
function generateSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/**
 * Per-account webhook signing secrets, encrypted at rest
 * (AES-256-GCM, architecture.md, "Storage and durability").
 */
export class SigningSecrets {
  readonly #db: Kysely<WebhookTables>;
  readonly #box: SecretBox;
  readonly #clock: Clock;

  constructor(db: Kysely<WebhookTables>, box: SecretBox, clock: Clock) {
    this.#db = db;
    this.#box = box;
    this.#clock = clock;
  }

  /** The account's secret, generated on first need. */
  async get(accountId: string): Promise<string> {
    const existing = await this.#read(accountId);
    if (existing !== undefined) return existing;
    // Two processes may get here at once: the first insert wins and both return what is stored.
    await this.#db
      .insertInto('webhook_secrets')
      .values({
        account_id: accountId,
        secret_sealed: this.#box.seal(generateSecret(), associatedData(accountId)),
        created_at: new Date(this.#clock.now()).toISOString(),
        rotated_at: null,
      })
      .onConflict((oc) => oc.column('account_id').doNothing())
      .execute();
    const stored = await this.#read(accountId);
    if (stored === undefined) throw new Error(`webhook secret of account ${accountId} vanished after insert`);
    return stored;
  }

  /** Replaces the secret; deliveries signed from now on use the new one. */
  async rotate(accountId: string): Promise<string> {
    const secret = generateSecret();
    const nowIso = new Date(this.#clock.now()).toISOString();
    const sealed = this.#box.seal(secret, associatedData(accountId));
    await this.#db
      .insertInto('webhook_secrets')
      .values({ account_id: accountId, secret_sealed: sealed, created_at: nowIso, rotated_at: null })
      .onConflict((oc) => oc.column('account_id').doUpdateSet({ secret_sealed: sealed, rotated_at: nowIso }))
      .execute();
    return secret;
  }

  async #read(accountId: string): Promise<string | undefined> {
    const row = await this.#db
      .selectFrom('webhook_secrets')
      .select('secret_sealed')
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return row === undefined ? undefined : this.#box.open(row.secret_sealed, associatedData(accountId));
  }
}
