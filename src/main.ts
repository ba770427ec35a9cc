import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { ACTIONS } from './actions/index.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { loadMasterKey } from './crypto/master-key.js';
import { SecretBox } from './crypto/secret-box.js';
import { verifyMasterKey } from './crypto/key-check.js';
import { PhoneNumberService } from './domain/phone-numbers.js';
import { SpaceAdmin } from './domain/spaces.js';
import { createGatewayServer } from './gateway/http-server.js';
import { IamService } from './iam/iam-service.js';
import { createLogger } from './log.js';
import { IamRepo } from './store/iam-repo.js';
import { PhoneNumbersRepo } from './store/phone-numbers-repo.js';
import type { Database } from './store/schema.js';
import { SpacesRepo } from './store/spaces-repo.js';
import { openSqlite } from './store/sqlite.js';
import { MemoryFlowLimiter, type FlowLimiter } from './throttle/flow-limiter.js';
import { MemoryNonceCache, type NonceCache } from './throttle/nonce-cache.js';
import { WhatsAppSimulator } from './upstream/simulator/simulator.js';

/** Everything the server and the admin CLI work with, built once from the configuration. */
export interface App {
  readonly config: Config;
  readonly db: Kysely<Database>;
  readonly log: Logger;
  readonly clock: Clock;
  readonly iam: IamService;
  readonly spaces: SpaceAdmin;
  readonly simulator: WhatsAppSimulator;
  readonly phoneNumbers: PhoneNumberService;
  readonly limiter: FlowLimiter;
  readonly nonces: NonceCache;
  close(): Promise<void>;
}

export interface AppOptions {
  clock?: Clock;
  log?: Logger;
  /** Tests observe admissions by wrapping the limiter. */
  limiter?: FlowLimiter;
}

/** The composition root: config -> store -> upstream -> services. Nothing else builds concrete parts. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger(config.logLevel);
  const db = await openSqlite(config.databaseFile);
  const box = new SecretBox(loadMasterKey(config.masterKey, config.dataDir));
  await verifyMasterKey(db, box).catch(async (error: unknown) => {
    await db.destroy();
    throw error;
  });
  const spaces = new SpacesRepo(db);
  const simulator = new WhatsAppSimulator(db, config.simulatorSeed, clock);
  const phoneNumbers = new PhoneNumberService({
    spaces,
    numbers: new PhoneNumbersRepo(db),
    upstream: simulator,
    clock,
  });
  return {
    config,
    db,
    log,
    clock,
    iam: new IamService(new IamRepo(db), box, clock),
    spaces: new SpaceAdmin(spaces, simulator, clock),
    simulator,
    phoneNumbers,
    limiter: options.limiter ?? new MemoryFlowLimiter(),
    nonces: new MemoryNonceCache(),
    close: () => db.destroy(),
  };
}

/** Starts the CAMS gateway on the configured host and port (0 picks a free port). */
export async function listen(app: App, port = app.config.port): Promise<{ server: Server; port: number }> {
  const server = createGatewayServer(
    {
      iam: app.iam,
      limiter: app.limiter,
      nonces: app.nonces,
      clock: app.clock,
      services: { phoneNumbers: app.phoneNumbers },
      actions: ACTIONS,
    },
    app.log,
    { maxBodyBytes: app.config.maxBodyBytes, trustProxy: app.config.trustProxy },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, app.config.host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
