import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import { PRODUCTS } from './actions/products.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { loadMasterKey } from './crypto/master-key.js';
import { SecretBox } from './crypto/secret-box.js';
import { verifyMasterKey } from './store/master-key-check.js';
import type { Services } from './actions/spec.js';
import { LifecycleService } from './domain/lifecycle.js';
import { NumberSettingsService } from './domain/number-settings.js';
import { INTENT_LEASE_MS, PhoneNumberService } from './domain/phone-numbers.js';
import { startReconciler } from './domain/reconciler.js';
import { WabaService } from './domain/wabas.js';
import { webhookNotifier } from './domain/webhook-notifier.js';
import type { WhatsAppProvider } from './upstream/provider.js';
import {
  checkCallbackUrl,
  WEBHOOK_MIGRATIONS,
  WebhookDispatcher,
  type WebhookOptions,
  type WebhookTables,
} from './webhooks/index.js';
import { graphTokenAad, SpaceAdmin } from './domain/spaces.js';
import type { PipelineDeps } from './gateway/context.js';
import { IamService } from './iam/iam-service.js';
import { StsSessions } from './iam/sts-sessions.js';
import { RoleService } from './iam/role-service.js';
import { RamPolicyService } from './iam/ram-policy-service.js';
import { UserService } from './iam/user-service.js';
import { createLogger } from './log/logger.js';
import { Operator } from './operator/operator.js';
import type { ReadinessProbe } from './server/health.js';
import type { ServiceMetrics } from './server/metrics.js';
import { metricsRoute } from './server/metrics-route.js';
import { portRoutes, serveRoutes } from './server/server.js';
import { demoMayBeShown } from './web/explorer/demo-key.js';
import { loadWebAssets } from './web/assets.js';
import { durably, STORE_MIGRATIONS, tablesOf, type Durably } from './store/index.js';
import { gatewayAudit } from './gateway/audit.js';
import { startAuditPrune } from './store/audit-prune.js';
import { AuditRepo } from './store/audit-repo.js';
import { ConsoleSessionsRepo } from './store/console-sessions-repo.js';
import type { AuditTrail } from './store/audit-trail.js';
import { IamRepo } from './store/iam-repo.js';
import { StsSessionsRepo } from './store/sts-sessions-repo.js';
import { RamRolesRepo } from './store/ram-roles-repo.js';
import { RamIdentityRepo } from './store/ram-identity-repo.js';
import { PhoneNumbersRepo } from './store/phone-numbers-repo.js';
import type { Database } from './store/schema.js';
import { SpacesRepo } from './store/spaces-repo.js';
import { secureDataDir } from './store/file-modes.js';
import { openDatabase, warnModeFixed } from './store/open-database.js';
import { MemoryFlowLimiter, type FlowLimiter } from './throttle/flow-limiter.js';
import { type NonceCache } from './throttle/nonce-cache.js';
import { StoredNonceCache } from './throttle/stored-nonce-cache.js';
import { RequestNoncesRepo } from './store/request-nonces-repo.js';
import { startNoncePrune } from './store/nonce-prune.js';
import {
  SIMULATOR_EMBEDDED_SIGNUP,
  SIMULATOR_MIGRATIONS,
  simulatorRoute,
  WhatsAppSimulator,
  type SimulatorTables,
} from './upstream/simulator/index.js';
import { GraphProvider } from './upstream/graph/graph-provider.js';
import { instrumented } from './upstream/instrumented.js';

/** The migrations of every owner of tables in the service's database: the store, then its wings. */
export const APP_MIGRATIONS = [STORE_MIGRATIONS, SIMULATOR_MIGRATIONS, WEBHOOK_MIGRATIONS] as const;

/** Everything the server and the admin CLI work with, built once from the configuration. */
export interface App {
  readonly config: Config;
  readonly db: Kysely<Database>;
  readonly log: Logger;
  readonly clock: Clock;
  readonly iam: IamService;
  readonly sts: StsSessions;
  readonly spaces: SpaceAdmin;
  readonly spaceRepo: SpacesRepo;
  readonly simulator: WhatsAppSimulator;
  readonly phoneNumbers: PhoneNumberService;
  readonly lifecycle: LifecycleService;
  readonly services: Services;
  readonly webhooks: WebhookDispatcher;
  readonly limiter: FlowLimiter;
  readonly nonces: NonceCache;
  /** The nonces of state-changing requests kept in the store (pruned by startBackground). */
  readonly requestNonces: RequestNoncesRepo;
  /** What /readyz checks: the store answers a query, Redis (when configured) a PING. */
  readonly readiness: readonly ReadinessProbe[];
  /** The operator's controls (simulator, webhook events), for the CLI and the /_admin/ endpoints. */
  readonly operator: Operator;
  /** The store's unit of work: whoever acknowledges a write runs it through this. */
  readonly durably: Durably;
  /** Prometheus metrics (README "Metrics"); undefined when CAMS_METRICS=false. */
  readonly metrics: ServiceMetrics | undefined;
  /** Writes and denials, who made them and with what result (store/audit-trail.ts). */
  readonly audit: AuditTrail;
  close(): Promise<void>;
}

export interface AppOptions {
  clock?: Clock;
  log?: Logger;
  /** Tests observe admissions by wrapping the limiter. */
  limiter?: FlowLimiter;
  /** Instead of the configured nonce cache: the benchmark's before/after (bench/nonce-ab.mjs). */
  nonces?: NonceCache;
  /**
   * Share one SQLite commit among concurrent requests (store/sqlite/group-commit.ts). For the serving process
   * only: admin verbs run beside a server and must not hold the write lock across event-loop turns.
   */
  groupCommit?: boolean;
  /** Tests shorten webhook retries. */
  webhookOptions?: Partial<WebhookOptions>;
  /**
   * Collect metrics when CAMS_METRICS allows (`cams serve` and the test servers). The admin verbs of the
   * CLI do not: prom-client takes longer to load than most of them take to run.
   */
  metrics?: boolean;
}

/** The composition root: config -> store -> upstream -> services. Nothing else builds concrete parts. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger(config.logLevel);
  // Owner-only whatever existed before; the SQLite files are narrowed as the store opens them.
  secureDataDir(config.dataDir, (fix) => warnModeFixed(log, fix));
  // The backlog gauge reads the outbox at scrape time; the dispatcher exists only further down.
  const backlog: { read?: () => Promise<{ pending: number; failed: number }> } = {};
  const metrics =
    options.metrics === true && config.metrics.enabled
      ? new (await import('./server/metrics.js')).ServiceMetrics({
          backlog: () => backlog.read?.() ?? Promise.resolve({ pending: 0, failed: 0 }),
          onCollectError: (error) => log.warn({ err: error }, 'metrics: could not read the webhook backlog'),
        })
      : undefined;
  const db = await openDatabase(config, log, {
    groupCommit: options.groupCommit ?? false,
    migrations: APP_MIGRATIONS,
    ...(metrics ? { onFsync: (seconds: number) => metrics.fsync(seconds) } : {}),
  });
  const box = new SecretBox(loadMasterKey(config.masterKey, config.dataDir));
  await verifyMasterKey(db, box).catch(async (error: unknown) => {
    await db.destroy();
    throw error;
  });
  const spaces = new SpacesRepo(db);
  const numbers = new PhoneNumbersRepo(db);
  const simulator = new WhatsAppSimulator(
    tablesOf<SimulatorTables>(db),
    { seed: config.simulatorSeed, ...config.simulator },
    clock,
  );
  // CAMS_UPSTREAM: the embedded simulator, or Meta's Graph API (README "Running against Meta").
  const provider: WhatsAppProvider =
    config.upstream === 'graph'
      ? new GraphProvider({
          baseUrl: config.graph.baseUrl,
          apiVersion: config.graph.apiVersion,
          accessToken: config.graph.accessToken,
          timeoutMs: config.graph.timeoutMs,
          // A space's own token (cams space token) is used for its WABA and that WABA's numbers.
          tokenFor: async (wabaId) => {
            const own = await spaces.graphTokenOf(wabaId);
            return own && box.open(own.sealed, graphTokenAad(own.spaceId));
          },
          wabaOf: (phoneNumberId) => numbers.wabaOfUpstreamId(phoneNumberId),
          log,
        })
      : simulator;
  const upstream = metrics
    ? instrumented(provider, (operation, outcome, seconds) =>
        metrics.upstreamCall(operation, outcome, seconds),
      )
    : provider;
  const { allowLoopback, allowPrivate, ...delivery } = config.webhooks;
  const urlPolicy = { allowLoopback, allowPrivate };
  const webhooks = new WebhookDispatcher({
    db: tablesOf<WebhookTables>(db),
    box,
    clock,
    log,
    // CAMS_WEBHOOK_* (the timeout, the slot shares, the circuit breaker); tests may override any option.
    options: { urlPolicy, ...delivery, ...options.webhookOptions },
    ...(metrics ? { onAttempt: (outcome, seconds) => metrics.webhookAttempt(outcome, seconds) } : {}),
  });
  backlog.read = () => webhooks.backlog();
  const requestNonces = new RequestNoncesRepo(db);
  const throttle = await openThrottle(config, log, requestNonces);
  const onChange = webhookNotifier(webhooks, log);
  const phoneNumbers = new PhoneNumberService({
    spaces,
    numbers,
    upstream,
    clock,
    onChange,
    // The lease must outlast one upstream create: twice the Graph client's timeout, at least the default,
    // unless CAMS_INTENT_LEASE_MS says (config.ts checks it is at least twice the timeout).
    intentLeaseMs: config.intentLeaseMs ?? Math.max(INTENT_LEASE_MS, 2 * config.graph.timeoutMs),
  });
  // With Meta, a space binds an existing WABA (--waba-id); the mounted HTTP simulator creates its own.
  const wabaMaker =
    config.upstream === 'simulator' || config.simulatorHttp !== undefined ? simulator : undefined;
  const spaceAdmin = new SpaceAdmin(spaces, wabaMaker, clock, upstream, box);
  const lifecycle = new LifecycleService({ numbers, phoneNumbers, upstream, box, clock });
  const iamRepo = new IamRepo(db);
  const iam = new IamService(iamRepo, box, clock);
  const sts = new StsSessions(new StsSessionsRepo(db), iamRepo, box, clock);
  const rolesRepo = new RamRolesRepo(db);
  const ramRepo = new RamIdentityRepo(db);
  const roles = new RoleService(rolesRepo, iamRepo, clock);
  const users = new UserService(iam, iamRepo, ramRepo, clock);
  const policies = new RamPolicyService(iamRepo, ramRepo, rolesRepo, clock);
  const services: Services = {
    phoneNumbers,
    lifecycle,
    settings: new NumberSettingsService({
      spaces,
      phoneNumbers,
      upstream,
      checkCallbackUrl: (url) => checkCallbackUrl(url, urlPolicy),
    }),
    wabas: new WabaService({
      spaces,
      spaceAdmin,
      phoneNumbers,
      upstream,
      // Without CAMS_META_*, the simulator answers its own marked IDs; Meta's API has no such default.
      embeddedSignup:
        config.meta ?? (config.upstream === 'simulator' ? SIMULATOR_EMBEDDED_SIGNUP : undefined),
    }),
    iam,
    sts,
    roles,
    users,
    policies,
  };
  const audit = new AuditRepo(db);
  // The operator sees what it may do, not the app (operator/operator.ts).
  const operator = new Operator({
    simulator,
    wabaOfSpace: async (custSpaceId) => (await spaces.getAnywhere(custSpaceId))?.wabaId,
    numbersOfSpace: async (custSpaceId) => {
      const space = await spaces.getAnywhere(custSpaceId);
      return space === undefined ? undefined : numbers.list(space.accountId, space.id);
    },
    requireAccount: async (accountId) => void (await iam.account(accountId)),
    webhooks,
    audit,
    now: () => clock.now(),
  });
  return {
    config,
    db,
    log,
    clock,
    iam,
    sts,
    spaces: spaceAdmin,
    spaceRepo: spaces,
    simulator,
    phoneNumbers,
    lifecycle,
    services,
    webhooks,
    limiter: options.limiter ?? throttle.limiter,
    nonces: options.nonces ?? throttle.nonces,
    requestNonces,
    readiness: [
      { name: 'store', check: () => sql`select 1`.execute(db) },
      ...(throttle.ping === undefined ? [] : [{ name: 'redis', check: throttle.ping }]),
    ],
    operator,
    durably: durably(db, metrics && ((seconds) => metrics.commitWait(seconds))),
    metrics,
    audit,
    close: async () => {
      throttle.close();
      await db.destroy();
    },
  };
}

/**
 * Flow control and nonces: in this process, or in Redis when several instances share them
 * (architecture.md, "Scale-out").
 */
async function openThrottle(
  config: Config,
  log: Logger,
  requestNonces: RequestNoncesRepo,
): Promise<{ limiter: FlowLimiter; nonces: NonceCache; ping?: () => Promise<unknown>; close(): void }> {
  if (config.redis.url === undefined) {
    // Nonces in memory, and those of state-changing requests also in the store: a restart does not
    // reopen a replay window (architecture.md, "Replay protection across restarts").
    return { limiter: new MemoryFlowLimiter(), nonces: new StoredNonceCache(requestNonces), close: () => {} };
  }
  // Loaded only when configured: the Redis client is a tenth of the embedded default's start-up time.
  const [{ openRedis }, { RedisFlowLimiter }, { RedisNonceCache }] = await Promise.all([
    import('./throttle/redis-client.js'),
    import('./throttle/redis-flow-limiter.js'),
    import('./throttle/redis-nonce-cache.js'),
  ]);
  const redis = await openRedis({ url: config.redis.url, keyPrefix: config.redis.keyPrefix, log });
  return {
    limiter: new RedisFlowLimiter(redis),
    nonces: new RedisNonceCache(redis),
    ping: () => redis.ping(),
    close: () => redis.disconnect(),
  };
}

/** What the request pipeline needs of the app (the gateway's, and bench/in-process.mjs's). */
export function pipelineDeps(app: App): PipelineDeps {
  return {
    iam: app.iam,
    sts: app.sts,
    limiter: app.limiter,
    nonces: app.nonces,
    clock: app.clock,
    services: app.services,
    products: PRODUCTS,
  };
}

/** Starts everything the port serves (server/server.ts) on the configured host and port (0 picks a free one). */
export async function listen(app: App, port = app.config.port): Promise<{ server: Server; port: number }> {
  const simulatorHttp =
    app.config.simulatorHttp === undefined
      ? undefined
      : // The simulator in Meta's wire format under a path prefix (CAMS_SIMULATOR_HTTP), e.g. /_meta/v23.0/...
        simulatorRoute(app.config.simulatorHttp.prefix, {
          sim: app.simulator,
          db: tablesOf<SimulatorTables>(app.db),
          tokens: [app.config.simulatorHttp.token],
          log: app.log,
          durably: app.durably,
        });
  const routes = portRoutes({
    log: app.log,
    pipeline: pipelineDeps(app),
    operator: app.operator,
    operatorToken: app.config.operatorToken,
    maxBodyBytes: app.config.maxBodyBytes,
    trustProxy: app.config.trustProxy,
    durably: app.durably,
    readiness: app.readiness,
    readinessDeadlineMs: app.config.readinessTimeoutMs,
    metrics: app.metrics,
    metricsAccess:
      app.config.metrics.listen === undefined
        ? { kind: 'token', token: app.config.operatorToken }
        : { kind: 'elsewhere' },
    audit: gatewayAudit(app.audit, app.iam, app.clock, app.sts),
    // Meta's API gets a budget per request; the embedded simulator answers at once and needs none.
    ...(app.config.upstream === 'graph' ? { upstreamDeadlineMs: app.config.upstreamDeadlineMs } : {}),
    ...(simulatorHttp === undefined ? {} : { simulatorHttp }),
    web: loadWebAssets(),
    ...(demoMayBeShown(app.config)
      ? {
          explorerDemo: {
            dataDir: app.config.dataDir,
            isActive: async (id: string) => (await app.iam.resolveAccessKey(id))?.key.status === 'Active',
          },
        }
      : {}),
    console: {
      services: {
        iam: app.iam,
        spaces: app.spaces,
        phoneNumbers: app.phoneNumbers,
        lifecycle: app.lifecycle,
        operator: app.operator,
        webhooks: app.webhooks,
        hasOwnToken: async (accountId, custSpaceId) => {
          const space = await app.spaceRepo.get(accountId, custSpaceId);
          return space !== undefined && (await app.spaceRepo.graphTokenOf(space.wabaId)) !== undefined;
        },
      },
      sessionTable: new ConsoleSessionsRepo(app.db),
      sessionIdleMs: app.config.console.sessionIdleMs,
      sessionMaxMs: app.config.console.sessionMaxMs,
      now: () => app.clock.now(),
    },
  });
  const serveOptions = { limits: app.config.portLimits, trustProxy: app.config.trustProxy };
  const server = serveRoutes(routes, app.log, serveOptions);
  await listenOn(server, port, app.config.host);
  const separate = app.config.metrics.listen;
  if (separate !== undefined) {
    // CAMS_METRICS_LISTEN: /metrics alone, without a token, on its own address; it closes with the port.
    const metricsServer = serveRoutes(
      [metricsRoute({ metrics: app.metrics, access: { kind: 'open' } })],
      app.log,
      serveOptions,
    );
    try {
      await listenOn(metricsServer, separate.port, separate.host);
    } catch (error) {
      server.close();
      throw error;
    }
    server.once('close', () => {
      metricsServer.close();
      metricsServer.closeAllConnections();
    });
  }
  return { server, port: (server.address() as AddressInfo).port };
}

function listenOn(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Audit retention is enforced hourly (and at start). */
const AUDIT_PRUNE_INTERVAL_MS = 3_600_000;

/** The serving process's background work: webhook delivery, the upstream reconciler, audit retention. */
export function startBackground(app: App): () => Promise<void> {
  app.webhooks.start();
  const stopReconciler = startReconciler({
    intervalMs: app.config.syncIntervalMs,
    listSpaces: (all) => (all ? app.spaceRepo.listAll() : app.spaceRepo.listInTransition()),
    syncSpace: (space, all) => app.lifecycle.reconcileSpace(space, all),
    log: app.log,
    ...(app.metrics ? { onPass: (seconds: number) => app.metrics!.reconcilePass(seconds) } : {}),
  });
  const stopAuditPrune = startAuditPrune({
    trail: app.audit,
    durably: app.durably,
    now: () => app.clock.now(),
    retentionDays: app.config.auditRetentionDays,
    intervalMs: AUDIT_PRUNE_INTERVAL_MS,
    log: app.log,
  });
  const stopNoncePrune = startNoncePrune({
    repo: app.requestNonces,
    durably: app.durably,
    now: () => app.clock.now(),
    log: app.log,
  });
  return async () => {
    await stopNoncePrune();
    await stopAuditPrune();
    await stopReconciler();
    await app.webhooks.stop();
  };
}
