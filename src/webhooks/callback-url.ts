import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { addressCategory, CATEGORY_DESCRIPTIONS, type AddressCategory } from './address-category.js';

/**
 * SSRF protection for customer-supplied callback URLs: only http(s), no credentials, and every address
 * the host resolves to must be public unless the operator allows a category (OWASP SSRF Prevention
 * Cheat Sheet: "validate all resolved addresses", "disable redirects", "pin the resolved address").
 */
export interface CallbackUrlPolicy {
  /** Allow 127.0.0.0/8 and ::1 (local development, tests). */
  readonly allowLoopback: boolean;
  /** Allow RFC 1918 / fc00::/7 and carrier-grade NAT 100.64.0.0/10 (receivers inside a private network). */
  readonly allowPrivate: boolean;
}

export const STRICT_CALLBACK_URL_POLICY: CallbackUrlPolicy = Object.freeze({
  allowLoopback: false,
  allowPrivate: false,
});

export type CallbackUrlProblem = 'invalid' | 'scheme' | 'credentials' | 'unresolvable' | 'forbidden-address';

/** A refused callback URL; the message says what to change. It never contains credentials or the query. */
export class CallbackUrlError extends Error {
  override readonly name = 'CallbackUrlError';
  constructor(
    readonly problem: CallbackUrlProblem,
    message: string,
    readonly category?: AddressCategory,
  ) {
    super(message);
  }
}

export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

/** Resolves a host name to all of its addresses (A and AAAA, as the system resolver sees them). */
export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemLookup: HostLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** A URL that passed the check, with the addresses to connect to (and only to). */
export interface CheckedCallbackUrl {
  readonly url: URL;
  /** Host without IPv6 brackets. */
  readonly hostname: string;
  readonly addresses: readonly ResolvedAddress[];
}

const MAX_URL_LENGTH = 2048;

/** Origin and path only: the query and any credentials may carry secrets, so they are never logged. */
export function redactUrl(url: string | URL): string {
  try {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}${parsed.search === '' ? '' : '?…'}`;
  } catch {
    return '(unparseable URL)';
  }
}

function allowed(category: AddressCategory, policy: CallbackUrlPolicy): boolean {
  if (category === 'public') return true;
  if (category === 'loopback') return policy.allowLoopback;
  if (category === 'private' || category === 'shared') return policy.allowPrivate;
  return false;
}

function hint(category: AddressCategory): string {
  if (category === 'loopback') return ' (the operator can allow loopback receivers with allowLoopback)';
  if (category === 'private' || category === 'shared') {
    return ' (the operator can allow private-network receivers with allowPrivate)';
  }
  return '';
}

/**
 * Synchronous part of the check: syntax, scheme, credentials, and the address when the host is an IP
 * literal. Returns the parsed URL and the host without IPv6 brackets.
 */
export function parseCallbackUrl(text: string, policy: CallbackUrlPolicy): { url: URL; hostname: string } {
  if (text.length > MAX_URL_LENGTH) {
    throw new CallbackUrlError('invalid', `callback URL is longer than ${MAX_URL_LENGTH} characters`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CallbackUrlError(
      'invalid',
      'callback URL is not an absolute URL, e.g. https://example.com/hooks',
    );
  }
  const shown = redactUrl(url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CallbackUrlError(
      'scheme',
      `callback URL ${shown} uses ${url.protocol.slice(0, -1)}; only http and https are supported`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new CallbackUrlError(
      'credentials',
      `callback URL ${shown} contains a user name or password; remove them and verify the X-Cams-Signature header instead`,
    );
  }
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (hostname === '') throw new CallbackUrlError('invalid', `callback URL ${shown} has no host`);
  if (isIP(hostname) !== 0) assertAddressAllowed(shown, hostname, hostname, policy);
  return { url, hostname };
}

function assertAddressAllowed(shown: string, host: string, address: string, policy: CallbackUrlPolicy): void {
  const category = addressCategory(address);
  if (allowed(category, policy)) return;
  const where = host === address ? `${address} is` : `${host} resolves to ${address},`;
  throw new CallbackUrlError(
    'forbidden-address',
    `callback URL ${shown} is refused: ${where} ${CATEGORY_DESCRIPTIONS[category]}; ` +
      `webhooks are only delivered to publicly reachable addresses${hint(category)}`,
    category,
  );
}

/**
 * Full check: parses, resolves the host (all records) and requires every address to be allowed, so a
 * name with one public and one internal record is refused. Delivery then connects only to `addresses`.
 */
export async function resolveCallbackUrl(
  text: string,
  policy: CallbackUrlPolicy,
  lookup: HostLookup = systemLookup,
): Promise<CheckedCallbackUrl> {
  const { url, hostname } = parseCallbackUrl(text, policy);
  const family = isIP(hostname);
  if (family !== 0) return { url, hostname, addresses: [{ address: hostname, family }] };
  const shown = redactUrl(url);
  let addresses: ResolvedAddress[];
  try {
    addresses = await lookup(hostname);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'lookup failed';
    throw new CallbackUrlError(
      'unresolvable',
      `callback URL ${shown}: host ${hostname} does not resolve (${code})`,
    );
  }
  if (addresses.length === 0) {
    throw new CallbackUrlError('unresolvable', `callback URL ${shown}: host ${hostname} has no addresses`);
  }
  for (const { address } of addresses) assertAddressAllowed(shown, hostname, address, policy);
  return { url, hostname, addresses };
}

/** Registration-time check; throws CallbackUrlError with a message the customer can act on. */
export async function checkCallbackUrl(
  url: string,
  policy: CallbackUrlPolicy,
  lookup: HostLookup = systemLookup,
): Promise<void> {
  await resolveCallbackUrl(url, policy, lookup);
}
