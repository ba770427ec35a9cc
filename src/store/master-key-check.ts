import type { Kysely } from 'kysely';
import { ConfigError } from '../errors/index.js';
import type { Database } from './schema.js';
import type { SecretBox } from '../crypto/secret-box.js';

const CHECK_KEY = 'master_key_check';
const AAD = 'master-key-check';

/**
 * Fails start-up when the master key is not the one the store was written with, instead of every
 * request failing later: the first start seals a known value, every later start must open it.
 */
export async function verifyMasterKey(db: Kysely<Database>, box: SecretBox): Promise<void> {
  // Insert if absent, then always read back: of two instances starting together, the second sees the
  // first one's value and must hold the same key.
  await db
    .insertInto('meta')
    .values({ key: CHECK_KEY, value: box.seal('cams', AAD) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db
    .selectFrom('meta')
    .select('value')
    .where('key', '=', CHECK_KEY)
    .executeTakeFirstOrThrow();
  try {
    box.open(row.value, AAD);
  } catch {
    throw new ConfigError(
      'the master key (CAMS_MASTER_KEY or master.key in the data directory) is not the key this database was written with',
    );
  }
}
