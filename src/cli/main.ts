import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { loadConfig, redactDatabaseUrl, type Config } from '../config.js';
import { AdminError, ConfigError, ServiceError } from '../errors/index.js';
import { createLogger } from '../log/logger.js';
import { createApp, type App } from '../main.js';
import { registerAdminCommands } from './admin.js';
import { recordCliWrite, registerAuditCommand } from './audit-commands.js';
import { processIo, type CliAuditNote, type CliIo } from './io.js';
import { registerOperatorCommands } from './operator-commands.js';
import { serve } from './serve.js';

/** The version of the package this file belongs to: the nearest package.json named cams-server above it. */
function packageVersion(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'cams-server' && pkg.version !== undefined) return pkg.version;
    } catch {
      // no package.json here: look further up
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

/** The only verb that may start a store from nothing, besides `serve`. */
const CREATES_STORE = new Set(['account create']);

/** Where the admin verbs read and write, as `--help` and errors name it. */
function storeOf(config: Config): string {
  if (config.databaseUrl !== undefined) return `PostgreSQL ${redactDatabaseUrl(config.databaseUrl)}`;
  const missing = existsSync(config.databaseFile) ? '' : ' (does not exist yet)';
  return `SQLite ${config.databaseFile}${missing}`;
}

/** The code a failed verb reports (--json) and the audit trail records. */
const errorCode = (error: unknown): string =>
  error instanceof ServiceError
    ? error.code
    : error instanceof AdminError || error instanceof ConfigError
      ? error.name
      : 'Error';

/** Commander's own refusals (unknown option, missing argument, ...), as opposed to help and version. */
const isUsageError = (e: CommanderError) =>
  ![
    'commander.helpDisplayed',
    'commander.help',
    'commander.version',
    'commander.executeSubCommandAsync',
  ].includes(e.code);

/**
 * The `cams` command. Every admin verb opens the data directory directly (SQLite in WAL mode lets it
 * run beside a serving process) and prints a table, or JSON with --json.
 */
export async function runCli(
  argv: string[],
  io: CliIo = processIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  // With --json, errors are one JSON object on stderr (code, message), Commander's refusals included.
  const json = argv.includes('--json');
  let usageMessage = '';
  const program = new Command('cams')
    .description('Self-hosted, wire-compatible Alibaba Cloud CAMS server for WhatsApp Business phone numbers')
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--data-dir <dir>', 'data directory (env CAMS_DATA_DIR, default ./data)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s),
      writeErr: (s) => io.err(s),
      outputError: (s, write) => {
        usageMessage = s.replace(/^error: /, '').trim();
        if (!json) write(s);
      },
    });

  const config = () =>
    loadConfig(env, program.opts<{ dataDir?: string }>().dataDir ? { dataDir: program.opts().dataDir } : {});
  const withApp =
    <T extends unknown[]>(fn: (app: App, ...args: T) => Promise<void | CliAuditNote>) =>
    async (...args: T) => {
      const cfg = config();
      // Commander passes the command last: a verb other than `account create` never starts a store.
      const command = args[args.length - 1] as Command;
      const verb = `${command.parent?.name() ?? ''} ${command.name()}`;
      if (!CREATES_STORE.has(verb) && cfg.databaseUrl === undefined && !existsSync(cfg.databaseFile)) {
        throw new AdminError(
          `no database at ${cfg.databaseFile}: start \`cams serve\` once or create an account with \`cams account create\`, or point --data-dir (CAMS_DATA_DIR) at an existing data directory`,
        );
      }
      // Admin verbs keep stdout for their output (tables, --json); logs go to stderr.
      const app = await createApp(cfg, { log: createLogger(cfg.logLevel, process.stderr) });
      let outcome: { code: string; note?: CliAuditNote | void } = { code: 'OK' };
      try {
        outcome.note = await fn(app, ...args);
      } catch (error) {
        outcome = { code: errorCode(error) };
        throw error;
      } finally {
        // A write is recorded whatever its outcome; a failure to record fails a verb that succeeded.
        const recorded = recordCliWrite(app, verb.trim(), command, args.slice(0, -2), outcome);
        await (outcome.code === 'OK' ? recorded : recorded.catch(() => undefined)).finally(() => app.close());
      }
    };

  program
    .command('serve')
    .description('start the CAMS gateway (first start creates a demo account, key and space)')
    .option('--host <host>', 'listen address (env CAMS_HOST, default 127.0.0.1)')
    .option('--port <port>', 'listen port (env CAMS_PORT, default 8080)')
    .action(async (o: { host?: string; port?: string }) => {
      const base = config();
      const port = o.port === undefined ? base.port : Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new ConfigError(`--port must be 0-65535, got "${o.port}"`);
      await serve(
        loadConfig(env, {
          ...(base.dataDir ? { dataDir: base.dataDir } : {}),
          host: o.host ?? base.host,
          port,
        }),
        io,
      );
    });
  registerAdminCommands(program, io, withApp);
  registerOperatorCommands(program, io, withApp);
  registerAuditCommand(program, io, withApp);
  // Every command's --help names the store it would use.
  const withStore = (command: Command) => {
    command.addHelpText('after', () => {
      try {
        return `\nStore: ${storeOf(config())}\n`;
      } catch (error) {
        return `\nStore: not configured (${(error as Error).message})\n`;
      }
    });
    command.commands.forEach(withStore);
  };
  withStore(program);

  const failWith = (code: string, message: string, exit: number): number => {
    io.err(json ? `${JSON.stringify({ code, message })}\n` : `cams: ${message}\n`);
    return exit;
  };
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    // Exit status: 0 for help and version, 2 for a usage error, 1 for any other failure.
    if (error instanceof CommanderError) {
      if (!isUsageError(error)) return 0;
      return json ? failWith('UsageError', usageMessage || error.message, 2) : 2;
    }
    if (error instanceof Error) {
      // A catalogued ServiceUnavailable says why in its cause (the store or Redis error it stands for).
      const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
      return failWith(errorCode(error), `${error.message}${cause}`, 1);
    }
    throw error;
  }
}
