import { acsDate, newNonce, signV3, type SignedRequest } from '../shared/sign-v3.js';
import type { CatalogueAction } from './catalogue.js';
import type { Credentials } from './credentials.js';
import { sentValues } from './form-check.js';

/** What came back, and what the browser signed to get it. */
export interface CallResult {
  readonly status: number;
  readonly requestId: string | undefined;
  /** CAMS answers a Code on success too; RAM and STS only on an error (src/actions/products.ts `envelope`). */
  readonly code: string | undefined;
  /** The body pretty-printed when it is JSON, as received otherwise. */
  readonly text: string;
  readonly body: Record<string, unknown> | undefined;
  readonly signed: SignedRequest;
}

/**
 * Signs the call with signature V3 under the action's product Version and sends it to the gateway on this origin, each parameter where the
 * official SDK puts it (the catalogue's location), exactly as an SDK would.
 */
export async function callAction(
  action: CatalogueAction,
  values: Readonly<Record<string, string>>,
  credentials: Credentials,
  sendEmpty: ReadonlySet<string>,
): Promise<CallResult> {
  const sent = sentValues(action.params, values, sendEmpty);
  const signed = await signV3({
    method: 'POST',
    host: location.host,
    action: action.name,
    // The action's own product Version: the gateway routes by it (architecture.md, "One request, top to bottom").
    version: action.version,
    query: sent.filter(([p]) => p.location === 'query').map(([p, v]) => [p.name, v] as const),
    body: sent.filter(([p]) => p.location === 'body').map(([p, v]) => [p.name, v] as const),
    date: acsDate(Date.now()),
    nonce: newNonce(),
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.accessKeySecret,
  });
  const res = await fetch(signed.url, {
    method: 'POST',
    headers: { accept: 'application/json', ...signed.headers },
    body: signed.body === '' ? undefined : signed.body,
    cache: 'no-store',
    credentials: 'omit',
  });
  const raw = await res.text();
  let body: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed !== null && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    status: res.status,
    requestId: str(body?.RequestId),
    code: str(body?.Code),
    text: body === undefined ? raw : JSON.stringify(body, null, 2),
    body,
    signed,
  };
}
