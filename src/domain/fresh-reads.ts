import type { PhoneNumberRecord } from '../store/records.js';
import type { WhatsAppProvider } from '../upstream/provider.js';

/** How long the schedule of a number is trusted before it is read again (a decision an operator moves). */
export const SCHEDULE_TTL_MS = 1_000;
/** Numbers whose schedule is kept at most; past it the memory starts over. */
const MAX_ENTRIES = 100_000;

interface Entry {
  /** The instants of scheduledChanges, in provider time. */
  at: number[];
  /** When they were read (performance.now()). */
  readAt: number;
  /** Provider time of this instance's last refresh of the number: instants up to it are applied. */
  seen: number;
}

/**
 * A local record that upstream may change on its own: a display name in review, or a verification that
 * can lapse before the number is registered (the store's `inTransition`, phone-numbers-repo.ts).
 */
export function inTransition(r: PhoneNumberRecord): boolean {
  return (
    r.nameStatus === 'Pending_Review' ||
    r.newNameStatus === 'Pending_Review' ||
    (r.codeVerificationStatus === 'VERIFIED' && r.status !== 'CONNECTED')
  );
}

/**
 * Which numbers of a read are behind their upstream, with a provider that knows its schedule (the
 * embedded simulator): a number in transition whose next change's instant has come and that this
 * instance has not refreshed since. Settled numbers cost nothing; numbers in transition cost one read of
 * the provider's time per read, and their schedule is read again at most once a SCHEDULE_TTL_MS
 * (in one batch). With a provider without a schedule (Meta), nothing is ever due here: the store is
 * brought up to date by webhooks, syncs and the reconciler.
 */
export class DueChanges {
  readonly #upstream: WhatsAppProvider;
  readonly #entries = new Map<string, Entry>();

  constructor(upstream: WhatsAppProvider) {
    this.#upstream = upstream;
  }

  /**
   * The records of `records` whose upstream state has changed since the store last heard of it, and the
   * provider time they were judged at (for `seen`).
   */
  async due(records: readonly PhoneNumberRecord[]): Promise<{ due: PhoneNumberRecord[]; now: number }> {
    const upstream = this.#upstream;
    const none = { due: [], now: 0 };
    if (upstream.now === undefined || upstream.scheduledChanges === undefined) return none;
    const moving = records.filter((r) => r.upstreamId !== '' && inTransition(r));
    if (moving.length === 0) return none;
    const now = await upstream.now();
    const clock = performance.now();
    const stale = moving.filter((r) => {
      const entry = this.#entries.get(r.upstreamId);
      return entry === undefined || clock - entry.readAt > SCHEDULE_TTL_MS;
    });
    if (stale.length > 0) {
      const read = await upstream.scheduledChanges(stale.map((r) => r.upstreamId));
      if (this.#entries.size + read.size > MAX_ENTRIES) this.#entries.clear();
      for (const [id, at] of read) {
        this.#entries.set(id, { at, readAt: clock, seen: this.#entries.get(id)?.seen ?? -Infinity });
      }
    }
    const due = moving.filter((r) => {
      const entry = this.#entries.get(r.upstreamId);
      return entry !== undefined && entry.at.some((t) => t > entry.seen && t <= now);
    });
    return { due, now };
  }

  /** The number was refreshed from upstream at provider time `now`: what came before is applied. */
  seen(upstreamId: string, now: number): void {
    const entry = this.#entries.get(upstreamId);
    if (entry !== undefined) entry.seen = Math.max(entry.seen, now);
  }
}
