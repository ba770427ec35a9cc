/**
 * The store's public interface for the wings that keep their own tables in it (the simulator, the
 * webhook outbox): prepared queries, read caches that know when a table changed, the unit of work,
 * and migrations. The SQLite engine behind it (sqlite/) is private to the store.
 */
export { prepared, type Arg } from './prepared.js';
export { TableCache, type TableCacheOptions } from './table-cache.js';
export { durably, type Durably } from './durability.js';
