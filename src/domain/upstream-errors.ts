import { ServiceError, fail } from '../gateway/errors.js';
import { UpstreamError } from '../upstream/provider.js';

/**
 * An upstream (Meta or simulator) failure as a catalogued CAMS error whose message carries Meta's code
 * and text, so the operator can look it up. The per-code mapping grows with the lifecycle actions.
 */
export function upstreamFailure(error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  if (error instanceof UpstreamError) {
    const sub = error.subcode === undefined ? '' : `/${error.subcode}`;
    const detail = error.userMessage === undefined ? '' : ` ${error.userMessage}`;
    return fail('Upstream.Error', `WhatsApp error ${error.code}${sub}: ${error.message}.${detail}`);
  }
  throw error;
}
