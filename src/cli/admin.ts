import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { SYSTEM_POLICIES } from '../iam/policy/index.js';
import { print, type CliIo, type WithApp } from './io.js';

interface Json {
  json?: boolean;
}

/** The administrative verbs: accounts, RAM users, access keys, policies, customer spaces. */
export function registerAdminCommands(program: Command, io: CliIo, withApp: WithApp): void {
  const account = program.command('account').description('Alibaba Cloud accounts (tenants)');
  account
    .command('create')
    .description('create an account (subscribed to CAMS unless --unsubscribed)')
    .requiredOption('--name <name>', 'a label for the account')
    .option('--id <uid>', 'a fixed 16-digit account UID')
    .option('--unsubscribed', 'create it without the CAMS subscription')
    .option('--json', 'print JSON')
    .action(
      withApp(async (app, o: Json & { name: string; id?: string; unsubscribed?: boolean }) => {
        const a = await app.iam.createAccount({ name: o.name, subscribed: !o.unsubscribed, id: o.id });
        print(io, !!o.json, a, ['id', 'name', 'subscribed']);
        return { accountId: a.id };
      }),
    );
  account
    .command('list')
    .description('list accounts')
    .option('--json', 'print JSON')
    .action(
      withApp(async (app, o: Json) =>
        print(io, !!o.json, await app.iam.listAccounts(), ['id', 'name', 'subscribed', 'createdAt']),
      ),
    );
  for (const [verb, subscribed] of [
    ['subscribe', true],
    ['unsubscribe', false],
  ] as const) {
    account
      .command(`${verb} <accountId>`)
      .description(
        subscribed
          ? 'switch the CAMS subscription on'
          : 'switch the CAMS subscription off (Product.Unsubscript)',
      )
      .option('--json', 'print JSON')
      .action(
        withApp(async (app, accountId: string, o: Json) => {
          print(io, !!o.json, await app.iam.setSubscribed(accountId, subscribed), [
            'id',
            'name',
            'subscribed',
          ]);
        }),
      );
  }

  const user = program.command('user').description('RAM users of an account');
  user
    .command('create')
    .description('create a RAM user')
    .requiredOption('--account <uid>', 'owning account')
    .requiredOption('--name <name>', 'user name, unique in the account')
    .option('--display-name <name>', 'display name')
    .option('--json', 'print JSON')
    .action(
      withApp(async (app, o: Json & { account: string; name: string; displayName?: string }) => {
        print(io, !!o.json, await app.iam.createUser(o.account, o.name, o.displayName), [
          'id',
          'name',
          'displayName',
        ]);
      }),
    );
  user
    .command('list')
    .description("list an account's RAM users")
    .requiredOption('--account <uid>', 'owning account')
    .option('--json', 'print JSON')
    .action(
      withApp(async (app, o: Json & { account: string }) => {
        print(io, !!o.json, await app.iam.listUsers(o.account), ['id', 'name', 'displayName', 'createdAt']);
      }),
    );

  const key = program.command('key').description('AccessKey pairs');
  key
    .command('create')
    .description('create an access key for the account (root) or a RAM user; the secret is shown only now')
    .requiredOption('--account <uid>', 'owning account')
    .option('--user <name>', 'RAM user the key belongs to (root key when absent)')
    .option('--json', 'print JSON')
    .action(
      withApp(async (app, o: Json & { account: string; user?: string }) => {
        const k = await app.iam.createAccessKey(o.account, { userName: o.user });
        print(io, !!o.json, k, ['accessKeyId', 'accessKeySecret', 'accountId', 'userId']);
        if (!o.json) io.err('The secret is shown only once: store it now.\n');
        return { accessKeyId: k.accessKeyId };
      }),
    );
  key
    .command('list')
    .description("list an account's access keys (never their secrets)")
    .requiredOption('--account <uid>', 'owning account')
    .option('--json', 'print JSON')
    .action(
      withApp(async (app, o: Json & { account: string }) => {
        const keys = (await app.iam.listAccessKeys(o.account)).map(({ secretSealed: _s, ...k }) => k);
        print(io, !!o.json, keys, ['id', 'userId', 'status', 'createdAt']);
      }),
    );
  for (const [verb, status] of [
    ['disable', 'Inactive'],
    ['enable', 'Active'],
  ] as const) {
    key
      .command(`${verb} <accessKeyId>`)
      .description(`${verb} an access key`)
      .requiredOption('--account <uid>', 'owning account')
      .option('--json', 'print JSON')
      .action(
        withApp(async (app, accessKeyId: string, o: Json & { account: string }) => {
          await app.iam.setAccessKeyStatus(o.account, accessKeyId, status);
          print(io, !!o.json, { id: accessKeyId, status }, ['id', 'status']);
        }),
      );
  }

  const policy = program.command('policy').description('RAM policies');
  policy
    .command('create')
    .description("create a custom policy from a document in Alibaba's policy grammar")
    .requiredOption('--account <uid>', 'owning account')
    .requiredOption('--name <name>', 'policy name')
    .option('--document <json>', 'the policy document')
    .option('--file <path>', 'read the policy document from a file')
    .option('--description <text>', 'description', '')
    .option('--json', 'print JSON')
    .action(
      withApp(
        async (
          app,
          o: Json & { account: string; name: string; document?: string; file?: string; description: string },
        ) => {
          const document = o.document ?? (o.file !== undefined ? readFileSync(o.file, 'utf8') : undefined);
          if (document === undefined) throw new Error('give the policy document with --document or --file');
          await app.iam.createPolicy(o.account, o.name, document, o.description);
          print(io, !!o.json, { name: o.name, type: 'Custom' }, ['name', 'type']);
        },
      ),
    );
  policy
    .command('list')
    .description('list system policies and the custom policies of an account')
    .requiredOption('--account <uid>', 'owning account')
    .option('--json', 'print JSON')
    .action(
      withApp(async (app, o: Json & { account: string }) => {
        const system = SYSTEM_POLICIES.map((p) => ({ name: p.name, type: 'System', document: p.document }));
        print(
          io,
          !!o.json,
          [...system, ...(await app.iam.listPolicies(o.account))],
          ['name', 'type', 'document'],
        );
      }),
    );
  for (const verb of ['attach', 'detach'] as const) {
    policy
      .command(verb)
      .description(`${verb} a policy ${verb === 'attach' ? 'to' : 'from'} a RAM user`)
      .requiredOption('--account <uid>', 'owning account')
      .requiredOption('--user <name>', 'RAM user name')
      .requiredOption('--policy <name>', 'policy name (system or custom)')
      .option('--json', 'print JSON')
      .action(
        withApp(async (app, o: Json & { account: string; user: string; policy: string }) => {
          if (verb === 'attach') await app.iam.attachPolicy(o.account, o.user, o.policy);
          else await app.iam.detachPolicy(o.account, o.user, o.policy);
          print(io, !!o.json, { user: o.user, policy: o.policy, attached: verb === 'attach' }, [
            'user',
            'policy',
            'attached',
          ]);
        }),
      );
  }

  const space = program.command('space').description('customer spaces (CustSpaceId), each bound to a WABA');
  space
    .command('create')
    .description('create a customer space')
    .requiredOption('--account <uid>', 'owning account')
    .requiredOption('--name <name>', 'a label for the space')
    .option('--id <custSpaceId>', 'a fixed CustSpaceId')
    .option('--waba-id <id>', 'the WABA to bind to (the simulator creates one when absent)')
    .option('--json', 'print JSON')
    .action(
      withApp(async (app, o: Json & { account: string; name: string; id?: string; wabaId?: string }) => {
        await app.iam.account(o.account);
        const s = await app.spaces.create(o.account, { name: o.name, id: o.id, wabaId: o.wabaId });
        print(io, !!o.json, s, ['id', 'name', 'wabaId']);
        return { custSpaceId: s.id };
      }),
    );
  space
    .command('token <custSpaceId>')
    .description('give a space its own Meta access token for its WABA (sealed at rest), or --clear it')
    .requiredOption('--account <uid>', 'owning account')
    .option(
      '--token <token>',
      'the token; "-" reads it from standard input (keeps it out of the process list)',
    )
    .option('--clear', "use the deployment's token again")
    .option('--json', 'print JSON')
    .action(
      withApp(
        async (app, custSpaceId: string, o: Json & { account: string; token?: string; clear?: boolean }) => {
          if ((o.token === undefined) === !o.clear)
            throw new Error('give exactly one of --token and --clear');
          const token = o.token === '-' ? readFileSync(0, 'utf8').trim() : o.token;
          await app.spaces.setGraphToken(o.account, custSpaceId, o.clear ? undefined : token);
          print(io, !!o.json, { custSpaceId, ownToken: !o.clear }, ['custSpaceId', 'ownToken']);
        },
      ),
    );
  space
    .command('list')
    .description("list an account's customer spaces")
    .requiredOption('--account <uid>', 'owning account')
    .option('--json', 'print JSON')
    .action(
      withApp(async (app, o: Json & { account: string }) => {
        await app.iam.account(o.account);
        print(io, !!o.json, await app.spaces.list(o.account), ['id', 'name', 'wabaId', 'createdAt']);
      }),
    );
}
