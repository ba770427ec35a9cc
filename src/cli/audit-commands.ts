import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import type { App } from '../main.js';
import { print, type CliAuditNote, type CliIo, type WithApp } from './io.js';

/** The verbs that change state, recorded in the audit trail (identity `cli`) whatever their outcome. */
const WRITE_VERBS = new Set([
  'account create',
  'account subscribe',
  'account unsubscribe',
  'user create',
  'key create',
  'key disable',
  'key enable',
  'policy create',
  'policy attach',
  'policy detach',
  'space create',
  'space token',
  'fault add',
  'fault clear',
  'clock advance',
]);

/**
 * Records a CLI verb that writes (or rotates the webhook signing secret), with the account, key and
 * resource its arguments name. Never a secret: only these named fields.
 */
export async function recordCliWrite(
  app: App,
  verb: string,
  command: Command,
  positional: readonly unknown[],
  outcome: { code: string; note?: CliAuditNote | void },
): Promise<void> {
  const o = command.opts<Record<string, unknown>>();
  if (!WRITE_VERBS.has(verb) && !(verb === 'webhook secret' && o.rotate === true)) return;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const first = text(positional[0]);
  const note = outcome.note ?? {};
  const accountId =
    note.accountId ?? text(o.account) ?? (verb.startsWith('account ') ? (first ?? text(o.id)) : undefined);
  const accessKeyId = note.accessKeyId ?? (verb.startsWith('key ') ? first : undefined);
  const custSpaceId = note.custSpaceId ?? text(o.space) ?? (verb === 'space token' ? first : undefined);
  const phoneNumber = text(o.phone)?.replace(/\D/g, '');
  await app.operator.recordAudit({
    requestId: randomUUID().toUpperCase(),
    identity: 'cli',
    action: verb,
    ...(accountId === undefined ? {} : { accountId }),
    ...(accessKeyId === undefined ? {} : { accessKeyId }),
    ...(custSpaceId === undefined ? {} : { custSpaceId }),
    ...(phoneNumber === undefined || phoneNumber === '' ? {} : { phoneNumber }),
    code: outcome.code,
    sourceIp: 'local',
  });
}

interface AuditOptions {
  account?: string;
  action?: string;
  code?: string;
  since?: string;
  until?: string;
  limit?: string;
  cursor?: string;
  json?: boolean;
}

/** `cams audit`: the audit trail, newest first. */
export function registerAuditCommand(program: Command, io: CliIo, withApp: WithApp): void {
  program
    .command('audit')
    .description('the audit trail: writes and denials, who made them and with what result, newest first')
    .option('--account <uid>', 'only this account')
    .option('--action <name>', 'only this action (AddChatappPhoneNumber, "account create", ...)')
    .option('--code <code>', 'only this result Code (OK, Ram.PermissionDeny, SignatureDoesNotMatch, ...)')
    .option('--since <time>', 'from this time: ISO 8601 or a duration back from now (1h, 7d)')
    .option('--until <time>', 'up to this time: ISO 8601 or a duration back from now')
    .option('--limit <n>', 'at most this many events (default 100, at most 1000)')
    .option('--cursor <cursor>', 'the page after the one that gave this nextCursor')
    .option('--json', 'print JSON')
    .action(
      withApp(async (app, o: AuditOptions) => {
        const listing = await app.operator.auditEvents(o);
        if (o.json) return print(io, true, listing);
        print(io, false, listing.events, [
          'at',
          'accountId',
          'identity',
          'accessKeyId',
          'action',
          'custSpaceId',
          'phoneNumber',
          'code',
          'sourceIp',
          'requestId',
        ]);
        if (listing.nextCursor !== undefined) io.err(`more: --cursor ${listing.nextCursor}\n`);
      }),
    );
}
