import { createHash, randomBytes } from 'node:crypto';
import type { StoredConsoleSession } from '../../store/console-sessions-repo.js';

/** A signed-in operator's browser session; the id is only ever in its cookie. */
export interface ConsoleSession {
  /** The SHA-256 of the cookie's id: what the table is keyed by. */
  readonly key: string;
  /** Sent by the page in `X-Console-Csrf` with every write, compared in constant time. */
  readonly csrfToken: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
}

/** Where sessions are kept: the store's console_sessions table (store/console-sessions-repo.ts). */
export interface ConsoleSessionTable {
  insert(session: StoredConsoleSession): Promise<void>;
  get(key: string): Promise<StoredConsoleSession | undefined>;
  touch(key: string, lastSeenAt: string): Promise<void>;
  delete(key: string): Promise<void>;
  deleteExpired(idleBefore: string, createdBefore: string): Promise<void>;
}

export interface ConsoleSessionOptions {
  readonly table: ConsoleSessionTable;
  /** A session unused this long ends (CAMS_CONSOLE_SESSION_IDLE_MINUTES). */
  readonly idleMs: number;
  /** A session ends this long after sign-in whatever its use (CAMS_CONSOLE_SESSION_MAX_HOURS). */
  readonly maxMs: number;
  readonly now: () => number;
}

const digest = (id: string): string => createHash('sha256').update(id, 'utf8').digest('base64url');
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;
const iso = (ms: number) => new Date(ms).toISOString();
/** A session's last use is written at most this often: reading a page is not a write per request. */
const TOUCH_EVERY_MS = 60_000;

/**
 * The console's sessions: random 256-bit ids in the cookie, kept in the store only as their SHA-256
 * (a copy of the table opens no session, and a lookup by digest leaks nothing of the id through timing).
 * Kept in the store, they are shared by every instance behind a load balancer and survive a restart.
 * Callers run these inside the store's unit of work (`durably`), like every other write.
 */
export class ConsoleSessions {
  readonly #o: ConsoleSessionOptions;

  constructor(options: ConsoleSessionOptions) {
    this.#o = options;
  }

  /** A new session: the id for the cookie (given out once) and the session. */
  async create(): Promise<{ id: string; session: ConsoleSession }> {
    const now = this.#o.now();
    await this.#o.table.deleteExpired(iso(now - this.#o.idleMs), iso(now - this.#o.maxMs));
    const id = randomBytes(32).toString('base64url');
    const session: ConsoleSession = {
      key: digest(id),
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
    };
    await this.#o.table.insert({
      key: session.key,
      csrfToken: session.csrfToken,
      createdAt: iso(now),
      lastSeenAt: iso(now),
    });
    return { id, session };
  }

  /** The live session of a cookie's id, its idle time restarted; undefined when unknown or expired. */
  async get(id: string | undefined): Promise<ConsoleSession | undefined> {
    if (id === undefined || !SESSION_ID.test(id)) return undefined;
    const stored = await this.#o.table.get(digest(id));
    if (stored === undefined) return undefined;
    const now = this.#o.now();
    const session: ConsoleSession = {
      key: stored.key,
      csrfToken: stored.csrfToken,
      createdAt: Date.parse(stored.createdAt),
      lastSeenAt: Date.parse(stored.lastSeenAt),
    };
    if (now - session.lastSeenAt >= this.#o.idleMs || now - session.createdAt >= this.#o.maxMs) {
      await this.#o.table.delete(session.key);
      return undefined;
    }
    if (now - session.lastSeenAt < TOUCH_EVERY_MS) return session;
    await this.#o.table.touch(session.key, iso(now));
    return { ...session, lastSeenAt: now };
  }

  /** When the session ends if it stays unused (for the page's information). */
  expiresAt(session: ConsoleSession): number {
    return Math.min(session.lastSeenAt + this.#o.idleMs, session.createdAt + this.#o.maxMs);
  }

  delete(session: ConsoleSession): Promise<void> {
    return this.#o.table.delete(session.key);
  }
}
