import type {
  CustSpace,
  PageRequest,
  PhoneNumberPage,
  PhoneNumberPatch,
  PhoneNumberRecord,
  SpaceCensus,
} from './records.js';

/**
 * What the domain may ask of the store, as interfaces: the domain names these, never the Kysely
 * repositories that implement them (spaces-repo.ts, phone-numbers-repo.ts). The account comes first
 * wherever state is read or written (architecture.md, "Conventions" 3); the few unscoped reads are
 * named so, for the operator and the upstream client.
 */
export interface SpacesRepository {
  insert(space: CustSpace): Promise<void>;
  get(accountId: string, spaceId: string): Promise<CustSpace | undefined>;
  /** Unscoped: the operator's lookup and the check that a new space's ID is free. */
  getAnywhere(spaceId: string): Promise<CustSpace | undefined>;
  /** Unscoped: whether a WABA is already bound to some space. */
  findByWaba(wabaId: string): Promise<CustSpace | undefined>;
  list(accountId: string): Promise<CustSpace[]>;
  setWebhook(
    accountId: string,
    spaceId: string,
    hook: { statusCallbackUrl?: string; httpFlag?: string; queueFlag?: string },
  ): Promise<void>;
  /** False when the account has no such space. */
  setGraphToken(accountId: string, spaceId: string, sealed: string | null): Promise<boolean>;
}

export interface PhoneNumbersRepository {
  insert(accountId: string, record: PhoneNumberRecord): Promise<void>;
  /** False when the space already has the number (nothing written). */
  insertUnlessExists(accountId: string, record: PhoneNumberRecord): Promise<boolean>;
  update(accountId: string, id: string, patch: PhoneNumberPatch, updatedAt: string): Promise<void>;
  /** Takes over an intent whose lease lapsed, if nobody touched it since `seenUpdatedAt`. */
  claimIntent(accountId: string, id: string, seenUpdatedAt: string, nowIso: string): Promise<boolean>;
  releaseIntent(accountId: string, id: string, releasedAt: string): Promise<void>;
  find(accountId: string, custSpaceId: string, e164: string): Promise<PhoneNumberRecord | undefined>;
  delete(accountId: string, id: string): Promise<void>;
  /** Every number of a space (the sync and the lifecycle; answers are paged: listPage). */
  list(accountId: string, custSpaceId: string, status?: string): Promise<PhoneNumberRecord[]>;
  listForAccount(accountId: string, status?: string): Promise<PhoneNumberRecord[]>;
  /**
   * A keyset page of a space's numbers in `e164` order: at most `page.limit`, after `page.after.e164`
   * when `page.after` is in this space. Costs the page, not the space (one index range).
   */
  listPage(accountId: string, custSpaceId: string, page: PageRequest): Promise<PhoneNumberPage>;
  /** A keyset page of the account's numbers: its spaces in ID order, `e164` order within each. */
  listPageForAccount(accountId: string, page: PageRequest): Promise<PhoneNumberPage>;
  /** The account's number `e164` in whichever of its spaces holds it first (space ID order). */
  findInAccount(accountId: string, e164: string): Promise<PhoneNumberRecord | undefined>;
  listInTransition(accountId: string, custSpaceId: string): Promise<PhoneNumberRecord[]>;
  listIntents(accountId: string, custSpaceId: string): Promise<PhoneNumberRecord[]>;
  census(accountId: string, custSpaceId: string): Promise<SpaceCensus>;
}
