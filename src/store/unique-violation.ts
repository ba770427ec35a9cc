/**
 * Whether a driver error is a unique or primary-key violation: two writers raced to create the same
 * thing, and the database kept the first. PostgreSQL's SQLSTATE 23505; better-sqlite3's extended codes.
 * Callers answer it as the catalogued "already exists" the check before the insert would have given.
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Runs `write`; a unique violation becomes `conflict()` (a catalogued error), anything else is rethrown. */
export async function unlessExists<T>(write: () => Promise<T>, conflict: () => Error): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict();
    throw error;
  }
}
