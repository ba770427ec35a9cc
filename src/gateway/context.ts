import type { RequestLog } from '../log/request-log.js';
import type { Product } from '../actions/products.js';
import type { ActionSpec, Services, WireData, WireParams } from '../actions/spec.js';
import type { Clock } from '../clock.js';
import type { IamService, ResolvedKey } from '../iam/iam-service.js';
import type { StsSessions } from '../iam/sts-sessions.js';
import type { FlowLimiter } from '../throttle/flow-limiter.js';
import type { NonceCache } from '../throttle/nonce-cache.js';

/** What the HTTP layer hands to the pipeline: the raw request, nothing interpreted yet. */
export interface HttpRequestData {
  readonly method: string;
  /** Raw request target, e.g. `/?Action=...`. */
  readonly url: string;
  /** Lower-case header name -> raw values (Node's `headersDistinct`). */
  readonly headers: Record<string, string[] | undefined>;
  readonly body: Buffer;
  /** Client address as acs:SourceIp sees it. */
  readonly sourceIp: string;
  /** Whether the request arrived over TLS (acs:SecureTransport). */
  readonly secure: boolean;
}

/** One request as it moves through the pipeline; each step fills in what it establishes. */
export interface RequestContext {
  readonly requestId: string;
  readonly receivedAt: number;
  readonly http: HttpRequestData;
  log: RequestLog;
  /** Decoded query and form-body pairs, in wire order (V1 signs them together). */
  queryPairs: Array<[string, string]>;
  bodyPairs: Array<[string, string]>;
  /** Query ∪ form body; a name given twice is refused in `parse`. */
  params: Map<string, string>;
  protocol?: 'V3' | 'V1';
  format: 'JSON' | 'XML';
  actionName?: string;
  /** The product the Version names (actions/products.ts). */
  product?: Product;
  action?: ActionSpec<unknown>;
  caller?: ResolvedKey;
  input?: WireParams;
  data?: WireData;
  /** The request's unit of work (store/durability.ts UnitOfWork.atEnd); absent outside one. */
  readonly atEndOfWork: ((write: () => Promise<unknown>) => void) | undefined;
}

export interface PipelineDeps {
  readonly iam: IamService;
  /** Temporary credentials issued by STS AssumeRole. */
  readonly sts: StsSessions;
  readonly limiter: FlowLimiter;
  readonly nonces: NonceCache;
  readonly clock: Clock;
  readonly services: Services;
  /** Every product on the port by its API Version (actions/products.ts `PRODUCTS`). */
  readonly products: ReadonlyMap<string, Product>;
}

/** A pipeline step: establishes something about the request or throws a catalogued ServiceError. */
export type Step = (ctx: RequestContext, deps: PipelineDeps) => void | Promise<void>;
