import { storeVersions, type StoreVersions } from './sqlite/group-commit.js';

interface Entry<V> {
  readonly value: V;
  readonly external: number;
  readonly local: number;
  readonly scope: number;
  readonly until: number;
  readonly weight: number;
}

export interface TableCacheOptions<V> {
  /** Entries kept at most (the oldest is dropped first). */
  readonly maxEntries: number;
  /**
   * With `weigh`: the total weight kept at most (e.g. rows), the oldest dropped first; a value heavier
   * than a tenth of it is not kept at all.
   */
  readonly maxWeight?: number;
  readonly weigh?: (value: V) => number;
  /**
   * For a store that cannot tell what changed (PostgreSQL shared by several instances): how long a value
   * may be served without reading it again; 0 reads every time.
   */
  readonly fallbackTtlMs: number;
}

/**
 * Values read from some tables, served from memory for as long as those tables are unchanged.
 *
 * On the serving SQLite handle "unchanged" is exact (group-commit.ts, StoreVersions): nothing was
 * written to the tables by this process, nothing rolled back, and no other connection (the CLI)
 * committed since the value was read. A store without that knowledge serves a value for at most
 * `fallbackTtlMs`.
 */
export class TableCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #tables: readonly string[];
  readonly #options: TableCacheOptions<V>;
  #weight = 0;
  readonly #db: object;
  #versions: StoreVersions | undefined | null = null;

  constructor(db: object, tables: readonly string[], options: TableCacheOptions<V>) {
    this.#db = db;
    this.#tables = tables;
    this.#options = options;
  }

  /**
   * The cached value of `key`, or what `load` reads (cached unless undefined). `scope` is the caller's
   * own version of what the value depends on, for a cache narrower than whole tables (it must change
   * before and after every write that could change the value).
   */
  async get(key: string, load: () => Promise<V | undefined>, scope = 0): Promise<V | undefined> {
    // Resolved on first use: the store registers its versions when it is opened.
    if (this.#versions === null) this.#versions = storeVersions(this.#db);
    const versions = this.#versions;
    if (versions === undefined && this.#options.fallbackTtlMs <= 0) return load();
    const now = performance.now(); // elapsed real time, whatever an injected clock says
    const external = versions?.external() ?? 0;
    const local = versions === undefined ? 0 : this.#local(versions);
    const cached = this.#entries.get(key);
    if (
      cached !== undefined &&
      cached.external === external &&
      cached.local === local &&
      cached.scope === scope &&
      (versions !== undefined || cached.until > now)
    ) {
      return cached.value;
    }
    const value = await load();
    this.#delete(key);
    if (value === undefined) return undefined;
    const weight = this.#options.weigh?.(value) ?? 0;
    const maxWeight = this.#options.maxWeight ?? Infinity;
    if (weight > maxWeight / 10) return value; // never kept: it would push out too much else
    while (
      this.#entries.size > 0 &&
      (this.#entries.size >= this.#options.maxEntries || this.#weight + weight > maxWeight)
    ) {
      this.#delete(this.#entries.keys().next().value as string);
    }
    this.#entries.set(key, {
      value,
      external,
      local,
      scope,
      until: now + this.#options.fallbackTtlMs,
      weight,
    });
    this.#weight += weight;
    return value;
  }

  #delete(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#weight -= entry.weight;
    this.#entries.delete(key);
  }

  /** Forgets everything (a change this process made through a path the versions cannot see). */
  clear(): void {
    this.#entries.clear();
    this.#weight = 0;
  }

  /** All counters only grow, so their sum changes whenever one does. */
  #local(versions: StoreVersions): number {
    let sum = versions.any();
    for (const table of this.#tables) sum += versions.table(table);
    return sum;
  }
}
