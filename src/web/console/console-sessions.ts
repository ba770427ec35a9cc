import { createHash, randomBytes } from 'node:crypto';

/** A signed-in operator's browser session; the id is only ever in its cookie. */
export interface ConsoleSession {
  /** The SHA-256 of the cookie's id: what the table is keyed by. */
  readonly key: string;
  /** Sent by the page in `X-Console-Csrf` with every write, compared in constant time. */
  readonly csrfToken: string;
  readonly createdAt: number;
  lastSeenAt: number;
}

export interface ConsoleSessionOptions {
  /** A session unused this long ends (CAMS_CONSOLE_SESSION_IDLE_MINUTES). */
  readonly idleMs: number;
  /** A session ends this long after sign-in whatever its use (CAMS_CONSOLE_SESSION_MAX_HOURS). */
  readonly maxMs: number;
  readonly now: () => number;
  /** The oldest sessions go first beyond this many (a bound on memory, not a limit anyone meets). */
  readonly maxSessions?: number;
}

const digest = (id: string): string => createHash('sha256').update(id, 'utf8').digest('base64url');
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/**
 * The console's sessions, in this process's memory: random 256-bit ids, kept only as their SHA-256
 * (a lookup by the digest neither leaks the id through timing nor keeps a usable cookie in memory).
 * A restart signs every operator out, and behind a load balancer each instance has its own sessions,
 * so a deployment of several instances needs sticky sessions for /console (README, "The console").
 */
export class ConsoleSessions {
  readonly #o: Required<ConsoleSessionOptions>;
  readonly #sessions = new Map<string, ConsoleSession>();

  constructor(options: ConsoleSessionOptions) {
    this.#o = { maxSessions: 10_000, ...options };
  }

  /** A new session: the id for the cookie (shown once) and the session. */
  create(): { id: string; session: ConsoleSession } {
    this.#sweep();
    while (this.#sessions.size >= this.#o.maxSessions) {
      this.#sessions.delete(this.#sessions.keys().next().value!);
    }
    const id = randomBytes(32).toString('base64url');
    const now = this.#o.now();
    const session: ConsoleSession = {
      key: digest(id),
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
    };
    this.#sessions.set(session.key, session);
    return { id, session };
  }

  /** The live session of a cookie's id, its idle time restarted; undefined when unknown or expired. */
  get(id: string | undefined): ConsoleSession | undefined {
    if (id === undefined || !SESSION_ID.test(id)) return undefined;
    const key = digest(id);
    const session = this.#sessions.get(key);
    if (session === undefined) return undefined;
    const now = this.#o.now();
    if (this.#expired(session, now)) {
      this.#sessions.delete(key);
      return undefined;
    }
    session.lastSeenAt = now;
    return session;
  }

  /** When the session ends if it stays unused (for the page's information). */
  expiresAt(session: ConsoleSession): number {
    return Math.min(session.lastSeenAt + this.#o.idleMs, session.createdAt + this.#o.maxMs);
  }

  delete(session: ConsoleSession): void {
    this.#sessions.delete(session.key);
  }

  get size(): number {
    return this.#sessions.size;
  }

  #expired(session: ConsoleSession, now: number): boolean {
    return now - session.lastSeenAt >= this.#o.idleMs || now - session.createdAt >= this.#o.maxMs;
  }

  #sweep(): void {
    const now = this.#o.now();
    for (const [key, session] of this.#sessions) if (this.#expired(session, now)) this.#sessions.delete(key);
  }
}
