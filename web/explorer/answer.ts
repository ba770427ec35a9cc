import { html } from '../shared/html.js';
import type { CallResult } from './send.js';

/** Lines of `text`, those differing from `other` at the same position marked (a `<mark>`). */
function Lines({ text, other }: { text: string; other: string }) {
  const theirs = other.split('\n');
  return html`${text.split('\n').map((line, i) => {
    const shown = `${line}\n`;
    return line === theirs[i] ? shown : html`<mark>${shown}</mark>`;
  })}`;
}

interface SignatureDetail {
  readonly CanonicalRequest: string;
  readonly StringToSign: string;
}

function signatureDetail(body: Record<string, unknown> | undefined): SignatureDetail | undefined {
  const d = body?.SignatureDetail as Partial<SignatureDetail> | undefined;
  return typeof d?.CanonicalRequest === 'string' && typeof d.StringToSign === 'string'
    ? (d as SignatureDetail)
    : undefined;
}

/**
 * SignatureDoesNotMatch: what this browser signed beside what the server computed (the server sends
 * its canonical request and string-to-sign with the error, cams-api.md §3.1), differing lines marked.
 */
function SignatureCompare({ result, detail }: { result: CallResult; detail: SignatureDetail }) {
  const same = result.signed.canonicalRequest === detail.CanonicalRequest;
  return html`<section class="compare" aria-labelledby="compare-h">
    <h3 id="compare-h">The signature did not match</h3>
    <p>
      ${
        same
          ? 'Both sides built the same canonical request, so the string-to-sign is the same too: the secret differs from the one the server holds for this AccessKey ID.'
          : 'The canonical requests differ (marked lines): the request was changed after signing, or was signed differently.'
      }
    </p>
    <div class="columns">
      <div>
        <h4>This browser signed</h4>
        <p class="muted">Canonical request</p>
        <pre data-testid="client-canonical"><${Lines}
          text=${result.signed.canonicalRequest}
          other=${detail.CanonicalRequest}
        /></pre>
        <p class="muted">String to sign</p>
        <pre data-testid="client-string-to-sign"><${Lines}
          text=${result.signed.stringToSign}
          other=${detail.StringToSign}
        /></pre>
      </div>
      <div>
        <h4>The server expected</h4>
        <p class="muted">Canonical request</p>
        <pre data-testid="server-canonical"><${Lines}
          text=${detail.CanonicalRequest}
          other=${result.signed.canonicalRequest}
        /></pre>
        <p class="muted">String to sign</p>
        <pre data-testid="server-string-to-sign"><${Lines}
          text=${detail.StringToSign}
          other=${result.signed.stringToSign}
        /></pre>
      </div>
    </div>
  </section>`;
}

/**
 * The answer: HTTP status, Code when the body has one (CAMS always; RAM and STS only on an error, their
 * success envelope being the RequestId and the data), RequestId and the body, all rendered as text.
 */
export function Answer({ result }: { result: CallResult }) {
  const ok = result.status === 200 && (result.code === undefined || result.code === 'OK');
  const detail = result.code === 'SignatureDoesNotMatch' ? signatureDetail(result.body) : undefined;
  return html`<div>
    <dl class="answer">
      <dt>HTTP status</dt>
      <dd data-testid="status" class=${ok ? 'ok' : 'error'}>${result.status}</dd>
      ${
        result.code === undefined
          ? null
          : html`<dt>Code</dt>
              <dd data-testid="code" class=${ok ? 'ok' : 'error'}>${result.code}</dd>`
      }
      <dt>RequestId</dt>
      <dd data-testid="request-id"><code>${result.requestId ?? '(none)'}</code></dd>
    </dl>
    ${detail === undefined ? null : html`<${SignatureCompare} result=${result} detail=${detail} />`}
    <h3>Body</h3>
    <pre data-testid="body">${result.text}</pre>
  </div>`;
}
