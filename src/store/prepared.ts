import type { CompiledQuery, Compilable, Kysely, QueryResult } from 'kysely';
import { groupCommitOfAny } from './sqlite/group-commit.js';

const MARK = '\u0000cams-param\u0000';

/** Stands for the named argument while a prepared query is built. */
export type Arg<A> = <K extends keyof A & string>(name: K) => A[K];

interface Template {
  readonly compiled: CompiledQuery;
  /** Per parameter position: the argument's name, or undefined for a constant of the query. */
  readonly names: ReadonlyArray<string | undefined>;
}

/**
 * A query built with Kysely's typed builder once per dialect, then executed with new arguments without
 * building or compiling it again: building and compiling cost more than executing the statement on the
 * hot paths (docs/PERFORMANCE.md). Arguments are single values (not lists: `in` takes a built query).
 *
 *   const byId = prepared((db: Kysely<Database>, arg: Arg<{ id: string }>) =>
 *     db.selectFrom('accounts').selectAll().where('id', '=', arg('id')));
 *   const rows = await byId.rows(db, { id });
 */
export function prepared<DB, A extends object, O>(build: (db: Kysely<DB>, arg: Arg<A>) => Compilable<O>) {
  // Keyed by the dialect's adapter, which a Kysely instance shares with its transactions.
  const templates = new WeakMap<object, Template>();
  const template = (db: Kysely<DB>): Template => {
    const key = db.getExecutor().adapter;
    let t = templates.get(key);
    if (t === undefined) {
      const compiled = build(db, ((name: string) => `${MARK}${name}`) as Arg<A>).compile();
      const names = compiled.parameters.map((p) =>
        typeof p === 'string' && p.startsWith(MARK) ? p.slice(MARK.length) : undefined,
      );
      t = { compiled, names };
      templates.set(key, t);
    }
    return t;
  };
  const execute = (db: Kysely<DB>, args: A) => {
    const { compiled, names } = template(db);
    const parameters = names.map((name, i) =>
      name === undefined ? compiled.parameters[i] : (args as Record<string, unknown>)[name],
    );
    const query = { ...compiled, parameters };
    // On the serving SQLite handle, run it right away: with no transaction holding the connection, or
    // inside the transaction that holds it (its callback is running: `db` is that transaction).
    const groupCommit = groupCommitOfAny(db);
    const direct = db.isTransaction
      ? groupCommit?.executeInTransaction(query)
      : groupCommit?.executeIfFree(query);
    return (direct as QueryResult<O> | undefined) ?? db.executeQuery<O>(query);
  };
  return {
    /** Every row. */
    rows: async (db: Kysely<DB>, args: A): Promise<O[]> => (await execute(db, args)).rows,
    /** The first row, if any. */
    first: async (db: Kysely<DB>, args: A): Promise<O | undefined> => (await execute(db, args)).rows[0],
    /** Rows changed (inserts, updates, deletes). */
    changed: async (db: Kysely<DB>, args: A): Promise<number> =>
      Number((await execute(db, args)).numAffectedRows ?? 0),
  };
}
