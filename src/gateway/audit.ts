import type { Clock } from '../clock.js';
import type { IamService, ResolvedKey } from '../iam/iam-service.js';
import { STS_KEY_PREFIX, type StsSessions } from '../iam/sts-sessions.js';
import type { AuditTrail, NewAuditEvent } from '../store/audit-trail.js';
import { parseV3Authorization } from './auth/v3.js';
import { AUTHENTICATION_CODES } from './authenticate.js';
import type { RequestContext } from './context.js';
import type { PipelineResult } from './pipeline.js';

/** Refusals of an authenticated caller: RAM said no (CAMS's Code or RAM's), or the account lacks the product. */
const DENIALS = new Set(['Ram.PermissionDeny', 'NoPermission', 'Product.Unsubscript']);

/**
 * The shape of an AccessKeyId (iam/ids.ts; a temporary one, iam/sts-sessions.ts). A key no account holds is recorded only when the claimed
 * id has it: a caller who pasted the secret where the id goes must not have it written down.
 */
const KEY_ID_SHAPE = /^(LTAI[A-Za-z0-9]{4,60}|STS\.[A-Za-z0-9]{28})$/;

/** Resource fields come from the request: bounded, and a phone number keeps its digits only. */
const bounded = (value: string | undefined, max: number): string | undefined =>
  value === undefined || value === '' ? undefined : value.slice(0, max);

function phoneNumberOf(params: ReadonlyMap<string, string>): string | undefined {
  const phone = params.get('PhoneNumber');
  if (phone === undefined) return undefined;
  // AddChatappPhoneNumber gives the country code apart (Cc); the others give E.164 (cams-api.md §1.3).
  const digits = `${params.get('Cc') ?? ''}${phone}`.replace(/^\s*\+/, '').replace(/^00/, '');
  return bounded(digits.replace(/\D/g, ''), 32);
}

/** The AccessKeyId the request claims, whether or not it authenticated. */
function claimedKeyId(ctx: RequestContext): string | undefined {
  const id =
    ctx.protocol === 'V3'
      ? parseV3Authorization(ctx.http.headers['authorization']?.[0] ?? '')?.accessKeyId
      : ctx.params.get('AccessKeyId');
  return bounded(id, 128);
}

const identityOf = (caller: ResolvedKey | undefined): string =>
  caller === undefined
    ? 'unknown'
    : caller.session !== undefined
      ? `assumed-role:${caller.session.roleName}/${caller.session.sessionName}`
      : caller.user === undefined
        ? 'root'
        : `ram:${caller.user.name}`;

export interface GatewayAudit {
  /** Records the request when it is a write (whatever its outcome) or a denial; inside its unit of work. */
  record(ran: PipelineResult): Promise<void>;
}

/**
 * What the gateway puts in the audit trail. Every write action of an authenticated caller, whatever
 * its Code; every denial (RAM, subscription); every authentication failure that names a key. Not
 * System.LimitControl: the flood guard must not turn a flood into writes. Reads that succeed are not
 * recorded. Never a secret: no AccessKeySecret, signature, token or body, only the named fields.
 */
export function gatewayAudit(
  trail: AuditTrail,
  iam: IamService,
  clock: Clock,
  sts?: StsSessions,
): GatewayAudit {
  return {
    async record({ ctx, code }) {
      if (code === 'System.LimitControl') return;
      let caller = ctx.caller;
      let accessKeyId = caller?.key.id;
      let owner: { accountId: string; identity: string } | undefined;
      if (caller !== undefined) {
        if (!(ctx.action?.writes === true || DENIALS.has(code))) return;
      } else {
        if (!AUTHENTICATION_CODES.has(code)) return;
        const claimed = claimedKeyId(ctx);
        if (claimed === undefined) return;
        // A temporary key is not resolved without its token; its session still names the owner.
        owner = claimed.startsWith(STS_KEY_PREFIX) ? await sts?.ownerOf(claimed) : undefined;
        caller = owner === undefined ? await iam.resolveAccessKey(claimed) : undefined;
        if (caller === undefined && owner === undefined && !KEY_ID_SHAPE.test(claimed)) return;
        accessKeyId = claimed;
      }
      const event: NewAuditEvent = {
        at: new Date(clock.now()).toISOString(),
        requestId: ctx.requestId,
        ...(caller === undefined ? {} : { accountId: caller.account.id }),
        ...(owner === undefined ? {} : { accountId: owner.accountId }),
        identity: owner?.identity ?? identityOf(caller),
        ...(accessKeyId === undefined ? {} : { accessKeyId }),
        action: bounded(ctx.actionName, 128) ?? '',
        ...optional('custSpaceId', bounded(ctx.params.get('CustSpaceId'), 64)),
        ...optional('phoneNumber', phoneNumberOf(ctx.params)),
        code,
        sourceIp: ctx.http.sourceIp,
      };
      await trail.record(event);
    },
  };
}

const optional = <K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, string>>;
