import type { Kysely } from 'kysely';
import type { SimulatorTables } from '../tables.js';
import {
  PHONE_NUMBER_DEFAULT_FIELDS,
  PHONE_NUMBER_FIELDS,
  PROFILE_FIELDS,
  WABA_DEFAULT_FIELDS,
  WABA_FIELDS,
  phoneNumberToGraph,
  profilePatchFromGraph,
  profileToGraph,
  selectFields,
  wabaToGraph,
} from '../../graph/wire.js';
import type { UpstreamPhoneNumber } from '../../provider.js';
import { invalidParameter } from '../errors.js';
import type { FaultOperation } from '../faults.js';
import type { WhatsAppSimulator } from '../simulator.js';
import { fieldsParam, ParamError, required } from './params.js';
import type { Reply } from './render.js';

export interface CallContext {
  readonly sim: WhatsAppSimulator;
  readonly db: Kysely<SimulatorTables>;
  /** The object ID of the path (`/{version}/{id}[/{edge}]`). */
  readonly id: string;
  readonly params: Record<string, unknown>;
  /** The request URL as the client sent it (for paging links). */
  readonly url: URL;
}

export interface Route {
  readonly method: 'GET' | 'POST';
  /** The edge after the ID, or null for the node itself. */
  readonly edge: string | null;
  /** The simulator operation, for network faults; the node's depends on what the ID is. */
  operation(ctx: CallContext): Promise<Exclude<FaultOperation, '*'>>;
  run(ctx: CallContext): Promise<Reply>;
}

const ok = (body: unknown): Reply => ({ status: 200, body });
const success = ok({ success: true });
const fixed = (op: Exclude<FaultOperation, '*'>) => () => Promise.resolve(op);

async function isWaba(ctx: CallContext): Promise<boolean> {
  const row = await ctx.db.selectFrom('sim_wabas').select('id').where('id', '=', ctx.id).executeTakeFirst();
  return row !== undefined;
}

/**
 * `fields=` checked against the node's fields, as Meta answers an unknown one (whatsapp-upstream.md §1.4).
 */
function fields(
  ctx: CallContext,
  known: readonly string[],
  fallback: readonly string[],
  node: string,
): string[] {
  const asked = fieldsParam(ctx.params) ?? [...fallback];
  const unknown = asked.find((f) => !known.includes(f));
  if (unknown !== undefined) {
    throw new ParamError(
      invalidParameter(`Tried accessing nonexisting field (${unknown}) on node type (${node})`),
    );
  }
  return asked;
}

const PHONE_NODE = 'WhatsAppBusinessPhoneNumber';
const phoneFields = (ctx: CallContext) =>
  fields(ctx, PHONE_NUMBER_FIELDS, PHONE_NUMBER_DEFAULT_FIELDS, PHONE_NODE);

const cursor = (id: string) => Buffer.from(id, 'utf8').toString('base64url');
const uncursor = (c: string) => Buffer.from(c, 'base64url').toString('utf8');

/**
 * Cursor paging of a list edge (whatsapp-upstream.md §1.4): `limit` 1-100 (default 25), `after`/`before`,
 * `next`/`previous`.
 */
function page(
  ctx: CallContext,
  all: UpstreamPhoneNumber[],
  render: (n: UpstreamPhoneNumber) => unknown,
): Reply {
  const rawLimit = ctx.params.limit === undefined ? 25 : Number(ctx.params.limit);
  if (!Number.isInteger(rawLimit) || rawLimit < 1 || rawLimit > 100) {
    throw new ParamError(
      invalidParameter(`Param limit must be an integer from 1 to 100, got "${String(ctx.params.limit)}"`),
    );
  }
  const position = (name: 'after' | 'before'): number | undefined => {
    const value = ctx.params[name];
    if (value === undefined || value === '') return undefined;
    const index = all.findIndex((n) => n.id === uncursor(String(value)));
    if (index < 0) throw new ParamError(invalidParameter(`Param ${name} is not a cursor of this list`));
    return index;
  };
  const after = position('after');
  const before = position('before');
  const start = after !== undefined ? after + 1 : before !== undefined ? Math.max(0, before - rawLimit) : 0;
  const end = before !== undefined && after === undefined ? before : Math.min(all.length, start + rawLimit);
  const items = all.slice(start, end);
  if (items.length === 0) return ok({ data: [] });
  const link = (name: 'after' | 'before', value: string): string => {
    const url = new URL(ctx.url);
    url.searchParams.delete('after');
    url.searchParams.delete('before');
    url.searchParams.set(name, value);
    return url.toString();
  };
  const first = cursor(items[0]!.id);
  const last = cursor(items.at(-1)!.id);
  return ok({
    data: items.map(render),
    paging: {
      cursors: { before: first, after: last },
      ...(end < all.length ? { next: link('after', last) } : {}),
      ...(start > 0 ? { previous: link('before', first) } : {}),
    },
  });
}

/**
 * The Graph edges the simulator serves (whatsapp-upstream.md §1.3-§1.6, §2.2), in one ordered list:
 * parse the wire parameters, call the simulator, render Meta's shape.
 */
export const ROUTES: readonly Route[] = [
  {
    method: 'GET',
    edge: null,
    operation: async (ctx) => ((await isWaba(ctx)) ? 'getWaba' : 'getPhoneNumber'),
    async run(ctx) {
      // The object first: Meta answers 100/33 for an unknown ID whatever the fields.
      if (await isWaba(ctx)) {
        const waba = wabaToGraph(await ctx.sim.getWaba(ctx.id));
        return ok(
          selectFields(waba, fields(ctx, WABA_FIELDS, WABA_DEFAULT_FIELDS, 'WhatsAppBusinessAccount')),
        );
      }
      const number = phoneNumberToGraph(await ctx.sim.getPhoneNumber(ctx.id));
      return ok(selectFields(number, phoneFields(ctx)));
    },
  },
  {
    method: 'GET',
    edge: 'phone_numbers',
    operation: fixed('listPhoneNumbers'),
    async run(ctx) {
      const all = await ctx.sim.listPhoneNumbers(ctx.id);
      const asked = phoneFields(ctx);
      return page(ctx, all, (n) => selectFields(phoneNumberToGraph(n), asked));
    },
  },
  {
    method: 'POST',
    edge: 'phone_numbers',
    operation: fixed('createPhoneNumber'),
    async run(ctx) {
      const created = await ctx.sim.createPhoneNumber(ctx.id, {
        cc: required(ctx.params, 'cc'),
        phoneNumber: required(ctx.params, 'phone_number'),
        verifiedName: required(ctx.params, 'verified_name'),
      });
      return ok({ id: created.id });
    },
  },
  {
    method: 'POST',
    edge: 'request_code',
    operation: fixed('requestCode'),
    async run(ctx) {
      const method = required(ctx.params, 'code_method');
      await ctx.sim.requestCode(ctx.id, {
        method: method as 'SMS' | 'VOICE',
        language: required(ctx.params, 'language'),
      });
      return success;
    },
  },
  {
    method: 'POST',
    edge: 'verify_code',
    operation: fixed('verifyCode'),
    async run(ctx) {
      await ctx.sim.verifyCode(ctx.id, required(ctx.params, 'code'));
      return success;
    },
  },
  {
    method: 'POST',
    edge: 'register',
    operation: fixed('register'),
    async run(ctx) {
      const product = required(ctx.params, 'messaging_product');
      if (product !== 'whatsapp') {
        throw new ParamError(
          invalidParameter(`Param messaging_product must be "whatsapp", got "${product}"`),
        );
      }
      await ctx.sim.register(ctx.id, required(ctx.params, 'pin'));
      return success;
    },
  },
  {
    method: 'POST',
    edge: 'deregister',
    operation: fixed('deregister'),
    async run(ctx) {
      await ctx.sim.deregister(ctx.id);
      return success;
    },
  },
  {
    method: 'GET',
    edge: 'whatsapp_business_profile',
    operation: fixed('getBusinessProfile'),
    async run(ctx) {
      const profile = profileToGraph(await ctx.sim.getBusinessProfile(ctx.id));
      const known = [...PROFILE_FIELDS, 'messaging_product'];
      return ok({ data: [selectFields(profile, fields(ctx, known, known, 'WhatsAppBusinessProfile'))] });
    },
  },
  {
    method: 'POST',
    edge: 'whatsapp_business_profile',
    operation: fixed('updateBusinessProfile'),
    async run(ctx) {
      const product = required(ctx.params, 'messaging_product');
      if (product !== 'whatsapp') {
        throw new ParamError(
          invalidParameter(`Param messaging_product must be "whatsapp", got "${product}"`),
        );
      }
      await ctx.sim.updateBusinessProfile(ctx.id, profilePatchFromGraph(ctx.params));
      return success;
    },
  },
];
