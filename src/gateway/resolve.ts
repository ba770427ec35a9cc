import { fail, missingParameter } from '../errors/index.js';
import type { PipelineDeps, RequestContext } from './context.js';

const V1_MARKERS = ['Action', 'Signature', 'SignatureMethod', 'AccessKeyId'];

/**
 * resolve: the protocol, Action and Version. V3 carries them in the signed `x-acs-action` /
 * `x-acs-version` headers and an `Authorization: ACS3-...` header; V1 in the Action / Version
 * parameters (cams-api.md §2.2.1, §2.3.1). V1 `Format` picks JSON or XML (default XML).
 */
export function resolve(ctx: RequestContext, deps: PipelineDeps): void {
  const authorization = ctx.http.headers['authorization']?.[0];
  let action: string | undefined;
  let version: string | undefined;
  // V1 is recognised by its parameters; a request with V3's x-acs-action header and none of them is
  // V3, even when its Authorization header is missing (authenticate then says IncompleteSignature).
  const v1 = V1_MARKERS.some((name) => ctx.params.has(name));
  const v3 = authorization?.startsWith('ACS3-') || (!v1 && ctx.http.headers['x-acs-action'] !== undefined);
  if (v3) {
    ctx.protocol = 'V3';
    action = ctx.http.headers['x-acs-action']?.[0];
    version = ctx.http.headers['x-acs-version']?.[0];
  } else {
    ctx.protocol = 'V1';
    action = ctx.params.get('Action');
    version = ctx.params.get('Version');
    const format = (ctx.params.get('Format') ?? 'XML').toUpperCase();
    if (format !== 'JSON' && format !== 'XML') throw fail('InvalidParameter.Format');
    ctx.format = format;
  }
  if (action === undefined || action === '') throw missingParameter('Action');
  if (version === undefined || version === '') throw missingParameter('Version');
  ctx.actionName = action;
  const product = deps.products.get(version);
  if (product === undefined || !product.declared.includes(action)) {
    // An Action of another product (or an unknown Version) is a wrong Version, as it always was.
    const owner = [...deps.products.values()].find((p) => p.declared.includes(action));
    if (product === undefined || owner !== undefined) {
      const expected = owner?.version ?? [...deps.products.keys()].join(', ');
      throw fail(
        'InvalidVersion',
        `Specified parameter Version is not valid: ${owner === undefined ? 'this service speaks' : `${action} is an action of`} ${expected}, got "${version}".`,
      );
    }
  }
  ctx.product = product;
  const spec = product.actions.get(action);
  if (spec === undefined && product.declared.includes(action)) {
    throw fail(
      'Action.NotImplemented',
      `The action ${action} is part of ${product.name.toUpperCase()} ${product.version} but is not implemented by this service (see docs/coverage.md).`,
    );
  }
  if (spec === undefined)
    throw fail(
      'InvalidApi.NotFound',
      `Specified api is not found, please check your url and method. Action: ${action}.`,
    );
  ctx.action = spec;
}
