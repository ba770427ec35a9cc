import { UpstreamError } from '../../errors/index.js';
import type { Logger } from 'pino';
import {
  type BusinessProfile,
  type CreatePhoneNumberInput,
  type RequestCodeInput,
  type UpstreamPhoneNumber,
  type UpstreamWaba,
  type WhatsAppProvider,
} from '../provider.js';
import { GraphHttp, type GraphRequest } from './graph-http.js';
import { DEFAULT_RETRY, outcomeUnknown, type RetryOptions } from './retry-policy.js';
import {
  PHONE_NUMBER_FIELDS,
  PROFILE_FIELDS,
  WABA_FIELDS,
  phoneNumberFromGraph,
  profileFromGraph,
  profilePatchToGraph,
  wabaFromGraph,
  type GraphObject,
} from './wire.js';

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com';
/** v23.0 matches Meta's published OpenAPI file and is live until 2027-10-08 (whatsapp-upstream.md §1.1). */
export const DEFAULT_GRAPH_API_VERSION = 'v23.0';
export const DEFAULT_GRAPH_TIMEOUT_MS = 10_000;

/** More pages than this means something is wrong (a cursor that never ends). */
const MAX_PAGES = 1000;

export interface GraphProviderOptions {
  baseUrl?: string;
  apiVersion?: string;
  /** The deployment's system-user token (whatsapp-upstream.md §1.1); needs whatsapp_business_management. */
  accessToken?: string;
  /** A WABA's own token when it has one; falls back to accessToken. */
  tokenFor?: (wabaId: string) => string | undefined | Promise<string | undefined>;
  /**
   * The WABA of a phone-number ID when this process has not seen it in a create or list (e.g. after a
   * restart): the service's store knows it, so the WABA's own token is used for its numbers too.
   */
  wabaOf?: (phoneNumberId: string) => Promise<string | undefined>;
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  /** `limit` of list calls: Meta allows 1-100 (whatsapp-upstream.md §1.4), default 100. */
  pageSize?: number;
  /** Injected for tests: the backoff wait, its jitter, the clock. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  fetch?: typeof fetch;
  log?: Logger;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The WhatsAppProvider over Meta's Graph API (whatsapp-upstream.md §1.3-§1.6, mapping
 * whatsapp-upstream.md §2.2).
 *
 * Known limitations: Meta's phone-number node does not name its WABA, so `wabaId` of getPhoneNumber is known
 * only for numbers this process created or listed, or that `wabaOf` (the store) knows ('' otherwise);
 * `nameRejectionReason` only arrives by webhook (whatsapp-upstream.md §1.7) and is never set; Meta takes a
 * profile picture as an upload handle (`profile_picture_handle`), not as `profile_picture_url`, so a picture
 * update only works on the simulator.
 */
export class GraphProvider implements WhatsAppProvider {
  readonly readsAreLocal = false;
  readonly #http: GraphHttp;
  readonly #log: Logger | undefined;
  readonly #pageSize: number;
  /**
   * Phone-number ID -> WABA ID, learnt from create and list (the node does not say,
   * whatsapp-upstream.md §1.4).
   */
  readonly #wabaOf = new Map<string, string>();
  readonly #lookupWaba: ((phoneNumberId: string) => Promise<string | undefined>) | undefined;

  constructor(options: GraphProviderOptions = {}) {
    this.#log = options.log;
    this.#lookupWaba = options.wabaOf;
    this.#pageSize = options.pageSize ?? 100;
    if (!Number.isInteger(this.#pageSize) || this.#pageSize < 1 || this.#pageSize > 100) {
      throw new RangeError(`pageSize must be an integer from 1 to 100, got ${this.#pageSize}`);
    }
    this.#http = new GraphHttp({
      baseUrl: options.baseUrl ?? DEFAULT_GRAPH_BASE_URL,
      apiVersion: options.apiVersion ?? DEFAULT_GRAPH_API_VERSION,
      accessToken: options.accessToken,
      ...(options.tokenFor === undefined ? {} : { tokenFor: options.tokenFor }),
      timeoutMs: options.timeoutMs ?? DEFAULT_GRAPH_TIMEOUT_MS,
      retry: { ...DEFAULT_RETRY, ...options.retry },
      sleep: options.sleep ?? sleep,
      random: options.random ?? Math.random,
      now: options.now ?? Date.now,
      fetch: options.fetch ?? globalThis.fetch,
      log: options.log,
    });
  }

  #call(request: GraphRequest): Promise<GraphObject> {
    return this.#http.call(request);
  }

  /** For a phone-number call: its WABA when known, so that WABA's token is used. */
  async #number(id: string): Promise<{ wabaId?: string }> {
    let wabaId = this.#wabaOf.get(id);
    if (wabaId === undefined && this.#lookupWaba !== undefined) {
      wabaId = await this.#lookupWaba(id);
      if (wabaId !== undefined) this.#wabaOf.set(id, wabaId);
    }
    return wabaId === undefined ? {} : { wabaId };
  }

  async #success(request: GraphRequest): Promise<void> {
    const answer = await this.#call(request);
    if (answer.success !== true) {
      throw new UpstreamError({
        code: 1,
        httpStatus: 502,
        message: `POST /${request.path} answered without "success": true`,
      });
    }
  }

  /**
   * `POST /{waba-id}/phone_numbers` {cc, phone_number, verified_name} -> {id} (whatsapp-upstream.md §1.3),
   * then the number as `GET /{id}` reports it. Never retried blindly: when the outcome is unknown (timeout,
   * 5xx, dropped connection) the WABA's numbers are listed and the number is returned if it is there, so a
   * create that did happen is neither lost nor repeated; otherwise the original error is thrown.
   */
  async createPhoneNumber(wabaId: string, input: CreatePhoneNumberInput): Promise<UpstreamPhoneNumber> {
    const body = { cc: input.cc, phone_number: input.phoneNumber, verified_name: input.verifiedName };
    let id: string;
    try {
      const answer = await this.#call({
        method: 'POST',
        path: `${wabaId}/phone_numbers`,
        body,
        kind: 'create',
        wabaId,
      });
      if (typeof answer.id !== 'string' || answer.id === '') {
        throw new UpstreamError({
          code: 1,
          httpStatus: 502,
          message: 'POST /phone_numbers answered without an id',
        });
      }
      id = answer.id;
    } catch (error) {
      if (!outcomeUnknown(error)) throw error;
      const e164 = `${input.cc}${input.phoneNumber}`.replace(/\D/g, '');
      // A lookup that fails too leaves the outcome unknown: the original error says so.
      const found = await this.listPhoneNumbers(wabaId).then(
        (numbers) => numbers.find((n) => n.e164 === e164),
        () => undefined,
      );
      if (found === undefined) throw error;
      this.#log?.warn(
        { wabaId, phoneNumberId: found.id },
        'phone-number create had an unknown outcome; found the number upstream and adopted it',
      );
      return found;
    }
    this.#wabaOf.set(id, wabaId);
    try {
      return await this.getPhoneNumber(id);
    } catch (error) {
      if (!(error instanceof UpstreamError) || error.httpStatus >= 500) throw error;
      // The number exists upstream: a 4xx here must not read as "not created" (a definitive refusal),
      // or the caller would forget a number Meta has.
      throw new UpstreamError({
        code: error.code,
        ...(error.subcode === undefined ? {} : { subcode: error.subcode }),
        httpStatus: 502,
        message: `Phone number ${id} was created on WABA ${wabaId}, but reading it back failed: ${error.message}`,
        transient: true,
      });
    }
  }

  /**
   * `GET /{waba-id}/phone_numbers?fields=...&limit=100`, following the `after` cursor
   * (whatsapp-upstream.md §1.4).
   */
  async listPhoneNumbers(wabaId: string): Promise<UpstreamPhoneNumber[]> {
    const out: UpstreamPhoneNumber[] = [];
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await this.#call({
        method: 'GET',
        path: `${wabaId}/phone_numbers`,
        query: {
          fields: PHONE_NUMBER_FIELDS.join(','),
          limit: String(this.#pageSize),
          ...(after ? { after } : {}),
        },
        kind: 'read',
        wabaId,
      });
      const data = Array.isArray(answer.data) ? (answer.data as GraphObject[]) : [];
      for (const item of data) {
        const number = phoneNumberFromGraph(item, wabaId);
        this.#wabaOf.set(number.id, wabaId);
        out.push(number);
      }
      const paging = (answer.paging ?? {}) as { next?: unknown; cursors?: { after?: unknown } };
      // Follow the cursor, not the `next` URL, so the token never leaves the Authorization header.
      if (typeof paging.next !== 'string' || typeof paging.cursors?.after !== 'string' || data.length === 0) {
        return out;
      }
      after = paging.cursors.after;
    }
    throw new UpstreamError({
      code: 1,
      httpStatus: 502,
      message: `GET /${wabaId}/phone_numbers did not end after ${MAX_PAGES} pages`,
    });
  }

  async getPhoneNumber(phoneNumberId: string): Promise<UpstreamPhoneNumber> {
    const answer = await this.#call({
      method: 'GET',
      path: phoneNumberId,
      query: { fields: PHONE_NUMBER_FIELDS.join(',') },
      kind: 'read',
      ...(await this.#number(phoneNumberId)),
    });
    return phoneNumberFromGraph(answer, this.#wabaOf.get(phoneNumberId) ?? '');
  }

  /**
   * `POST /{id}/request_code` (whatsapp-upstream.md §1.5): not retried after an unknown outcome, a new code
   * voids the old.
   */
  async requestCode(phoneNumberId: string, input: RequestCodeInput): Promise<void> {
    return await this.#success({
      method: 'POST',
      path: `${phoneNumberId}/request_code`,
      body: { code_method: input.method, language: input.language },
      kind: 'write',
      ...(await this.#number(phoneNumberId)),
    });
  }

  /**
   * `POST /{id}/verify_code` (whatsapp-upstream.md §1.5): a code verifies once, so a retry after an unknown
   * outcome could be refused although the first attempt worked; it is not retried blindly.
   */
  async verifyCode(phoneNumberId: string, code: string): Promise<void> {
    return await this.#success({
      method: 'POST',
      path: `${phoneNumberId}/verify_code`,
      body: { code },
      kind: 'write',
      ...(await this.#number(phoneNumberId)),
    });
  }

  /**
   * `POST /{id}/register` {messaging_product, pin} (whatsapp-upstream.md §1.6): the same PIN registers again.
   */
  async register(phoneNumberId: string, pin: string): Promise<void> {
    return await this.#success({
      method: 'POST',
      path: `${phoneNumberId}/register`,
      body: { messaging_product: 'whatsapp', pin },
      kind: 'idempotent',
      ...(await this.#number(phoneNumberId)),
    });
  }

  /**
   * `POST /{id}/deregister` (whatsapp-upstream.md §1.6): a repeat answers 133010, so no retry after an
   * unknown outcome.
   */
  async deregister(phoneNumberId: string): Promise<void> {
    return await this.#success({
      method: 'POST',
      path: `${phoneNumberId}/deregister`,
      kind: 'write',
      ...(await this.#number(phoneNumberId)),
    });
  }

  /** `GET /{id}/whatsapp_business_profile?fields=...` -> {data: [profile]}. */
  async getBusinessProfile(phoneNumberId: string): Promise<BusinessProfile> {
    const answer = await this.#call({
      method: 'GET',
      path: `${phoneNumberId}/whatsapp_business_profile`,
      query: { fields: PROFILE_FIELDS.join(',') },
      kind: 'read',
      ...(await this.#number(phoneNumberId)),
    });
    const first = Array.isArray(answer.data) ? (answer.data[0] as GraphObject | undefined) : undefined;
    return profileFromGraph(first ?? {});
  }

  /** `POST /{id}/whatsapp_business_profile` with messaging_product and only the given fields. */
  async updateBusinessProfile(phoneNumberId: string, patch: Partial<BusinessProfile>): Promise<void> {
    return await this.#success({
      method: 'POST',
      path: `${phoneNumberId}/whatsapp_business_profile`,
      body: profilePatchToGraph(patch),
      kind: 'idempotent',
      ...(await this.#number(phoneNumberId)),
    });
  }

  /** `GET /{waba-id}?fields=id,name,currency,account_review_status,...`. */
  async getWaba(wabaId: string): Promise<UpstreamWaba> {
    const answer = await this.#call({
      method: 'GET',
      path: wabaId,
      query: { fields: WABA_FIELDS.join(',') },
      kind: 'read',
      wabaId,
    });
    return wabaFromGraph(answer);
  }
}
