import type { PhoneNumberRecord, CustSpace } from '../store/records.js';
import type { WatchedField } from './number-state.js';

/** A change of a number's watched state, after it was persisted. */
export interface PhoneNumberChange {
  readonly space: CustSpace;
  readonly before: PhoneNumberRecord;
  readonly after: PhoneNumberRecord;
  readonly fields: readonly WatchedField[];
}

/** Told about every persisted change (the webhook notifier listens; tests may too). */
export type ChangeListener = (change: PhoneNumberChange) => Promise<void>;
