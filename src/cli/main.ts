import { Command, CommanderError } from 'commander';
import { loadConfig } from '../config.js';
import { AdminError, ConfigError } from '../errors/index.js';
import { createLogger } from '../log/logger.js';
import { createApp, type App } from '../main.js';
import { registerAdminCommands } from './admin.js';
import { processIo, type CliIo } from './io.js';
import { registerOperatorCommands } from './operator-commands.js';
import { serve } from './serve.js';

/**
 * The `cams` command. Every admin verb opens the data directory directly (SQLite in WAL mode lets it
 * run beside a serving process) and prints a table, or JSON with --json.
 */
export async function runCli(
  argv: string[],
  io: CliIo = processIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const program = new Command('cams')
    .description('Self-hosted, wire-compatible Alibaba Cloud CAMS server for WhatsApp Business phone numbers')
    .option('--data-dir <dir>', 'data directory (env CAMS_DATA_DIR, default ./data)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });

  const config = () =>
    loadConfig(env, program.opts<{ dataDir?: string }>().dataDir ? { dataDir: program.opts().dataDir } : {});
  const withApp =
    <T extends unknown[]>(fn: (app: App, ...args: T) => Promise<void>) =>
    async (...args: T) => {
      const cfg = config();
      // Admin verbs keep stdout for their output (tables, --json); logs go to stderr.
      const app = await createApp(cfg, { log: createLogger(cfg.logLevel, process.stderr) });
      try {
        await fn(app, ...args);
      } finally {
        await app.close();
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

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof AdminError || error instanceof ConfigError || error instanceof Error) {
      // A catalogued ServiceUnavailable says why in its cause (the store or Redis error it stands for).
      const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
      io.err(`cams: ${error.message}${cause}\n`);
      return error instanceof AdminError || error instanceof ConfigError ? 2 : 1;
    }
    throw error;
  }
}
