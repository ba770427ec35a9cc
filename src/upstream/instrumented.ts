import { UpstreamError } from '../errors/index.js';
import type { WhatsAppProvider } from './provider.js';

/** How one call to the provider went: `ok`, `rejected` (Meta answered an error), `transient`, `failed`. */
export type UpstreamOutcome = 'ok' | 'rejected' | 'transient' | 'failed';

export type UpstreamObserver = (operation: string, outcome: UpstreamOutcome, seconds: number) => void;

/** The provider's own schedule (optional, local): passed through, not counted as upstream calls. */
type Schedule = 'now' | 'scheduledChanges';

type Operation = {
  [K in Exclude<keyof WhatsAppProvider, Schedule>]-?: WhatsAppProvider[K] extends (
    ...args: never[]
  ) => unknown
    ? K
    : never;
}[Exclude<keyof WhatsAppProvider, Schedule>];

/** Every operation of the port: adding one to WhatsAppProvider without listing it here does not compile. */
const OPERATIONS: Record<Operation, true> = {
  createPhoneNumber: true,
  listPhoneNumbers: true,
  getPhoneNumber: true,
  requestCode: true,
  verifyCode: true,
  register: true,
  deregister: true,
  getBusinessProfile: true,
  updateBusinessProfile: true,
  getWaba: true,
};

function outcomeOf(error: unknown): UpstreamOutcome {
  if (error instanceof UpstreamError) return error.transient ? 'transient' : 'rejected';
  return 'failed';
}

/**
 * The provider with each call timed and its outcome told to `observe` (the metrics of README
 * "Metrics"); calls, results and errors pass through unchanged.
 */
export function instrumented(provider: WhatsAppProvider, observe: UpstreamObserver): WhatsAppProvider {
  const wrapped: Record<string, unknown> = { readsAreLocal: provider.readsAreLocal };
  for (const name of ['now', 'scheduledChanges'] as const) {
    if (provider[name] !== undefined) {
      wrapped[name] = (...args: unknown[]) =>
        (provider[name] as (...args: unknown[]) => Promise<unknown>).apply(provider, args);
    }
  }
  for (const operation of Object.keys(OPERATIONS) as Operation[]) {
    wrapped[operation] = async (...args: unknown[]) => {
      const started = performance.now();
      try {
        // Looked up at each call, as a direct caller would: the provider's own methods, whatever they are now.
        const call = provider[operation] as (...args: unknown[]) => Promise<unknown>;
        const result = await call.apply(provider, args);
        observe(operation, 'ok', (performance.now() - started) / 1000);
        return result;
      } catch (error) {
        observe(operation, outcomeOf(error), (performance.now() - started) / 1000);
        throw error;
      }
    };
  }
  return wrapped as unknown as WhatsAppProvider;
}
