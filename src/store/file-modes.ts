import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { KEY_FILE } from '../crypto/master-key.js';

/** A mode this module narrowed: the path, and its mode before and after, in octal. */
export interface ModeFix {
  readonly path: string;
  readonly was: string;
  readonly now: string;
}

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/** Companions SQLite keeps beside its database file; on Unix it creates them with the file's own mode. */
const SQLITE_COMPANIONS = ['', '-wal', '-shm', '-journal'] as const;

/** Narrows `target` to `mode` when others (group or world) may use it; tells `fixed` when it did. */
function tighten(target: string, mode: number, fixed: (fix: ModeFix) => void): void {
  const stat = statSync(target, { throwIfNoEntry: false });
  // Gone in between (a -wal a closing server removed): nothing to narrow.
  if (stat === undefined) return;
  const was = stat.mode & 0o777;
  if ((was & 0o077) === 0) return;
  chmodSync(target, mode);
  fixed({ path: target, was: was.toString(8).padStart(4, '0'), now: mode.toString(8).padStart(4, '0') });
}

/**
 * The data directory owner-only (0700) whatever existed before, created so or narrowed when it was wider,
 * and every file in it 0600 (the database and its companions, the demo credentials), narrowed likewise
 * (README "Deployment"). The one exception is `master.key`: a key file others could read is refused at
 * start-up (crypto/master-key.ts), since the key may already have been read. The umask can only narrow.
 */
export function secureDataDir(dir: string, fixed: (fix: ModeFix) => void): void {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  tighten(dir, DIR_MODE, fixed);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && entry.name !== KEY_FILE) tighten(path.join(dir, entry.name), FILE_MODE, fixed);
  }
}

/**
 * The SQLite database file and its companions, owner-only (0600), before SQLite opens them: an absent
 * database file is created empty with 0600 (SQLite takes an empty file for a new database, and gives the
 * -wal and -shm files it creates later the same mode), and existing ones that are wider are narrowed.
 */
export function secureSqliteFiles(file: string, fixed: (fix: ModeFix) => void): void {
  // 'a' creates the file when absent and leaves an existing one as it is; the mode applies at creation.
  closeSync(openSync(file, 'a', FILE_MODE));
  for (const suffix of SQLITE_COMPANIONS) {
    tighten(`${file}${suffix}`, FILE_MODE, fixed);
  }
}
