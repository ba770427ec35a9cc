import type { IncomingMessage } from 'node:http';

/**
 * The client's address: the peer of the connection, or, behind a proxy this service trusts
 * (CAMS_TRUST_PROXY), the first entry of X-Forwarded-For. What `acs:SourceIp` sees and what the port's
 * per-source fairness counts by.
 */
export function sourceAddress(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy
    ? req.headersDistinct['x-forwarded-for']?.[0]?.split(',')[0]?.trim()
    : undefined;
  return forwarded || req.socket.remoteAddress || '';
}
