import type { Command } from 'commander';
import { parseDuration } from '../operator/operator.js';
import { print, type CliIo, type WithApp } from './io.js';

interface Json {
  json?: boolean;
}

/**
 * `cams sim ...` (the embedded WhatsApp simulator), `cams number list` (a space's numbers) and
 * `cams webhook ...` (delivery state, signing secret).
 */
export function registerOperatorCommands(program: Command, io: CliIo, withApp: WithApp): void {
  const sim = program.command('sim').description('the embedded WhatsApp simulator');
  sim
    .command('outbox')
    .description('verification codes the simulator sent (newest last)')
    .option('--phone <number>', 'only this number, country code first (8613800138000)')
    .option('--json', 'print JSON')
    .action(
      withApp(async (app, o: Json & { phone?: string }) => {
        const messages = await app.operator.outbox(o.phone);
        print(io, !!o.json, messages, ['e164', 'method', 'code', 'sentAt', 'expiresAt']);
      }),
    );

  const fault = sim.command('fault').description('make upstream calls fail with a Meta error');
  fault
    .command('add')
    .description('inject a fault into the next (or every) matching upstream call')
    .requiredOption(
      '--operation <op>',
      'createPhoneNumber, requestCode, verifyCode, register, deregister, getPhoneNumber, ... or *',
    )
    .option('--preset <code>', 'a Meta error by code: 133005, 133016, 136025, 190, 80008, ...')
    .option('--code <n>', 'an explicit Meta error code', (v) => Number(v))
    .option('--subcode <n>', 'its subcode', (v) => Number(v))
    .option('--message <text>', 'its message')
    .option('--phone <number>', 'only calls for this number (country code first)')
    .option('--space <custSpaceId>', "only calls for this space's WABA")
    .option('--times <n>', 'how many calls fail, or "always"', '1')
    .option('--json', 'print JSON')
    .action(
      withApp(async (app, o: Json & Record<string, string | number | undefined>) => {
        const f = await app.operator.addFault({
          operation: String(o.operation),
          preset: o.preset as string | undefined,
          code: o.code as number | undefined,
          subcode: o.subcode as number | undefined,
          message: o.message as string | undefined,
          phoneNumber: o.phone as string | undefined,
          custSpaceId: o.space as string | undefined,
          times: o.times === 'always' ? 'always' : Number(o.times),
        });
        print(io, !!o.json, f, ['id', 'operation', 'remaining']);
      }),
    );
  fault
    .command('list')
    .description('list injected faults')
    .option('--json', 'print JSON')
    .action(
      withApp(async (app, o: Json) => {
        const faults = (await app.operator.listFaults()).map((f) => ({
          ...f,
          code: f.error.code,
          scope: JSON.stringify(f.scope),
        }));
        print(io, !!o.json, faults, ['id', 'operation', 'code', 'scope', 'remaining']);
      }),
    );
  fault
    .command('clear [id]')
    .description('remove one fault, or all')
    .option('--json', 'print JSON')
    .action(
      withApp(async (app, id: string | undefined, o: Json) => {
        print(io, !!o.json, { cleared: await app.operator.clearFaults(id) }, ['cleared']);
      }),
    );

  sim
    .command('waba <name>')
    .description('create a simulator WABA, as Meta would have one for a customer, for ChatappBindWaba')
    .option('--id <wabaId>', 'its ID (5-20 digits); generated otherwise')
    .option('--json', 'print JSON')
    .action(
      withApp(async (app, name: string, o: Json & { id?: string }) => {
        print(io, !!o.json, await app.operator.createWaba(name, o.id), ['wabaId', 'name']);
      }),
    );

  const clock = sim
    .command('clock')
    .description("the simulator's clock (the gateway's clock is not affected)");
  clock
    .command('advance <duration>')
    .description('move simulator time forward: 90s, 15m, 72h, 14d')
    .option('--json', 'print JSON')
    .action(
      withApp(async (app, duration: string, o: Json) => {
        print(io, !!o.json, await app.operator.advanceClock(parseDuration(duration)), ['offsetMs']);
      }),
    );
  clock
    .command('show')
    .description('the simulator time and its offset')
    .option('--json', 'print JSON')
    .action(
      withApp(async (app, o: Json) => print(io, !!o.json, await app.operator.clock(), ['now', 'offsetMs'])),
    );

  const number = program.command('number').description("customer spaces' phone numbers");
  number
    .command('list')
    .description("a space's numbers: status, display-name review and why a name was declined")
    .requiredOption('--space <custSpaceId>', 'the customer space')
    .option('--json', 'print JSON')
    .action(
      withApp(async (app, o: Json & { space: string }) => {
        print(io, !!o.json, await app.operator.numbers(o.space), [
          'phoneNumber',
          'verifiedName',
          'status',
          'nameStatus',
          'nameRejectionReason',
          'codeVerificationStatus',
        ]);
      }),
    );

  const webhook = program.command('webhook').description('webhook events and their signing secret');
  webhook
    .command('events')
    .description("an account's webhook events and their delivery state")
    .requiredOption('--account <uid>', 'owning account')
    .option('--json', 'print JSON')
    .action(
      withApp(async (app, o: Json & { account: string }) => {
        print(io, !!o.json, await app.operator.webhookEvents(o.account), [
          'id',
          'type',
          'status',
          'attempts',
          'url',
        ]);
      }),
    );
  webhook
    .command('secret')
    .description("the account's webhook signing secret (X-Cams-Signature), generated on first use")
    .requiredOption('--account <uid>', 'owning account')
    .option('--rotate', 'replace it with a new one')
    .option('--json', 'print JSON')
    .action(
      withApp(async (app, o: Json & { account: string; rotate?: boolean }) => {
        print(io, !!o.json, { secret: await app.operator.webhookSecret(o.account, !!o.rotate) }, ['secret']);
      }),
    );
}
