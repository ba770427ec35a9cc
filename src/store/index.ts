import type { Kysely } from 'kysely';
/**
 * The store's public interface for the wings that keep their own tables in it (the simulator, the
 * webhook outbox): prepared queries, read caches that know when a table changed, the unit of work,
 * and migrations. The SQLite engine behind it (sqlite/) is private to the store.
 */
export { prepared, type Arg } from './prepared.js';
export { TableCache, type TableCacheOptions } from './table-cache.js';
export { durably, type Durably, type UnitOfWork } from './durability.js';
export { STORE_MIGRATIONS, type Migrations } from './migrate.js';

/**
 * The database seen through one wing's tables. All wings share one database and one connection (one
 * unit of work); each declares only its own tables, and Kysely's types are invariant in them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function tablesOf<Tables>(db: Kysely<any>): Kysely<Tables> {
  return db as Kysely<Tables>;
}
