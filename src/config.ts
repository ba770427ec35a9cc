import path from 'node:path';
import { hostPort, readEnv, type ConfigValues } from './config-vars.js';
import { ConfigError } from './errors/index.js';

/** One validated, frozen configuration object, read from the environment (and CLI flags). */
export interface Config {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** SQLite file path (the embedded default, used when `databaseUrl` is absent). */
  readonly databaseFile: string;
  /**
   * `postgres://...`: PostgreSQL instead of SQLite, shared by several instances
   * (architecture.md, "Scale-out").
   */
  readonly databaseUrl: string | undefined;
  /** Redis for flow-control windows and nonces shared by several instances; in memory when `url` is absent. */
  readonly redis: {
    readonly url: string | undefined;
    /** Prefix of every key this service writes, so deployments (or test runs) can share one Redis. */
    readonly keyPrefix: string;
  };
  /** Base64 (or 64 hex chars) 32-byte master key; when absent a key file is used in the data directory. */
  readonly masterKey: string | undefined;
  readonly logLevel: ConfigValues['CAMS_LOG_LEVEL'];
  readonly maxBodyBytes: number;
  /** How long `cams serve` lets requests in flight finish after SIGTERM/SIGINT before closing them. */
  readonly shutdownTimeoutMs: number;
  /** How long /readyz waits for the store and Redis before answering 503. */
  readonly readinessTimeoutMs: number;
  /** Trust X-Forwarded-For / X-Forwarded-Proto for acs:SourceIp and acs:SecureTransport. */
  readonly trustProxy: boolean;
  /** Timeouts and limits of the port's connections and requests (architecture.md, "Limits on the port"). */
  readonly portLimits: PortLimits;
  /** Seed of the embedded WhatsApp simulator's deterministic IDs. */
  readonly simulatorSeed: string;
  readonly demo: DemoConfig;
  /** Bearer token of the operator endpoints under /_admin/ (outbox, faults, clock); disabled when absent. */
  readonly operatorToken: string | undefined;
  /** The console's sessions (src/web/console/): idle and absolute lifetimes. */
  readonly console: { readonly sessionIdleMs: number; readonly sessionMaxMs: number };
  /** Prometheus metrics at /metrics: off, on the API port behind the operator token, or on their own address. */
  readonly metrics: { readonly enabled: boolean; readonly listen?: { host: string; port: number } };
  readonly webhooks: {
    /** Allow callback URLs on loopback addresses (tests, local development). */
    readonly allowLoopback: boolean;
    /** Allow callback URLs on private and link-local addresses (a receiver inside your network). */
    readonly allowPrivate: boolean;
    /** Time one delivery attempt may take. */
    readonly timeoutMs: number;
    /** Deliveries in flight per instance; of those, at most `perAccount` / `perOrigin` for one. */
    readonly concurrency: number;
    readonly concurrencyPerAccount: number;
    readonly concurrencyPerOrigin: number;
    /** Consecutive failures that open a receiver's circuit breaker, and how long it stays open. */
    readonly breakerThreshold: number;
    readonly breakerCooldownMs: number;
  };
  /** The time all upstream calls of one CAMS request may take (Graph API only). */
  readonly upstreamDeadlineMs: number;
  /** How often numbers are re-read from upstream to announce time-driven changes; 0 turns it off. */
  readonly syncIntervalMs: number;
  /**
   * The Meta app and Embedded Signup configuration IsvGetAppId answers; absent when not configured
   * (the simulator then answers its own, marked IDs).
   */
  readonly meta: { readonly appId: string; readonly configId: string } | undefined;
  /** Audit events older than this many days are pruned; 0 keeps them forever. */
  readonly auditRetentionDays: number;
  readonly simulator: {
    readonly codeTtlMs: number | undefined;
    readonly verificationTtlMs: number | undefined;
    readonly nameReviewDelayMs: number | undefined;
    readonly maxRegisteredPerWaba: number | undefined;
    readonly registerLimit: number | undefined;
  };
  /**
   * The upstream WhatsApp API: the embedded simulator (default) or Meta's Graph API
   * (architecture.md, "Upstream providers").
   */
  readonly upstream: 'simulator' | 'graph';
  /** The Graph API client (whatsapp-upstream.md §1.1), used when upstream is graph. */
  readonly graph: {
    readonly baseUrl: string;
    /** vNN.N; v19.0 and v20.0 are past end of life (whatsapp-upstream.md §1.1). */
    readonly apiVersion: string;
    /** A system-user token with whatsapp_business_management; never logged. */
    readonly accessToken: string | undefined;
    readonly timeoutMs: number;
  };
  /**
   * How long an Add's intent holds off other Adds of the number (domain/phone-numbers.ts
   * INTENT_LEASE_MS); undefined: the default, lengthened to twice the Graph timeout.
   */
  readonly intentLeaseMs: number | undefined;
  /** The simulator in Meta's wire format under a path prefix of the server (e.g. /_meta); off when absent. */
  readonly simulatorHttp: { readonly prefix: string; readonly token: string } | undefined;
}

/** The timeouts and caps of the HTTP port; a cap of 0 is no cap. */
export interface PortLimits {
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxHeaderBytes: number;
  readonly maxConnections: number;
  readonly maxInFlight: number;
  readonly maxInFlightPerSource: number;
  readonly maxQueuedPerSource: number;
}

function portLimitsOf(v: ConfigValues): PortLimits {
  return {
    headersTimeoutMs: v.CAMS_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: v.CAMS_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: v.CAMS_KEEP_ALIVE_TIMEOUT_MS,
    maxHeaderBytes: v.CAMS_MAX_HEADER_BYTES,
    maxConnections: v.CAMS_MAX_CONNECTIONS,
    maxInFlight: v.CAMS_MAX_IN_FLIGHT,
    maxInFlightPerSource: v.CAMS_MAX_IN_FLIGHT_PER_SOURCE,
    maxQueuedPerSource: v.CAMS_MAX_QUEUED_PER_SOURCE,
  };
}

/** The port's limits when nothing is configured (a server built without a Config, e.g. in tests). */
export const DEFAULT_PORT_LIMITS: PortLimits = Object.freeze(portLimitsOf(readEnv({})));

/** Fixed demo credentials for CI users; any field left empty is generated on first start. */
export interface DemoConfig {
  readonly enabled: boolean;
  readonly accountId: string | undefined;
  readonly accessKeyId: string | undefined;
  readonly accessKeySecret: string | undefined;
  readonly custSpaceId: string | undefined;
}

type Env = Record<string, string | undefined>;

const scaled = (value: number | undefined, factor: number) =>
  value === undefined ? undefined : value * factor;

function upstreamConfig(
  v: ConfigValues,
): Pick<Config, 'upstream' | 'graph' | 'simulatorHttp' | 'intentLeaseMs'> {
  const accessToken = v.CAMS_GRAPH_ACCESS_TOKEN;
  if (v.CAMS_UPSTREAM === 'graph' && accessToken === undefined) {
    throw new ConfigError('CAMS_UPSTREAM=graph needs CAMS_GRAPH_ACCESS_TOKEN (a system-user access token)');
  }
  let simulatorHttp: Config['simulatorHttp'];
  if (v.CAMS_SIMULATOR_HTTP !== false) {
    const token = v.CAMS_SIMULATOR_HTTP_TOKEN ?? accessToken;
    if (token === undefined || token.length < 16) {
      throw new ConfigError(
        'CAMS_SIMULATOR_HTTP needs CAMS_SIMULATOR_HTTP_TOKEN (or CAMS_GRAPH_ACCESS_TOKEN) of at least 16 characters',
      );
    }
    simulatorHttp = { prefix: v.CAMS_SIMULATOR_HTTP, token };
  }
  return {
    upstream: v.CAMS_UPSTREAM,
    graph: {
      baseUrl: v.CAMS_GRAPH_BASE_URL.replace(/\/+$/, ''),
      apiVersion: v.CAMS_GRAPH_API_VERSION,
      accessToken,
      timeoutMs: v.CAMS_GRAPH_TIMEOUT_MS,
    },
    simulatorHttp,
    intentLeaseMs: intentLease(v),
  };
}

/** An intent must outlast the upstream create of a live Add: each attempt ends within the Graph timeout. */
function intentLease(v: ConfigValues): number | undefined {
  const lease = v.CAMS_INTENT_LEASE_MS;
  if (lease !== undefined && lease < 2 * v.CAMS_GRAPH_TIMEOUT_MS) {
    throw new ConfigError(
      `CAMS_INTENT_LEASE_MS must be at least twice CAMS_GRAPH_TIMEOUT_MS (${2 * v.CAMS_GRAPH_TIMEOUT_MS}), got ${lease}`,
    );
  }
  return lease;
}

/**
 * The configuration from the environment (every variable is declared in config-vars.ts, the only
 * reader of `env`) and the CLI's flags. A bad value throws a ConfigError naming the variable.
 */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const v = readEnv(env);
  const dataDir = path.resolve(overrides.dataDir ?? v.CAMS_DATA_DIR);
  const upstream = upstreamConfig(v);
  if ((v.CAMS_META_APP_ID === undefined) !== (v.CAMS_META_CONFIG_ID === undefined)) {
    throw new ConfigError('CAMS_META_APP_ID and CAMS_META_CONFIG_ID must be given together');
  }
  if ((v.CAMS_DEMO_ACCESS_KEY_ID === undefined) !== (v.CAMS_DEMO_ACCESS_KEY_SECRET === undefined)) {
    throw new ConfigError('CAMS_DEMO_ACCESS_KEY_ID and CAMS_DEMO_ACCESS_KEY_SECRET must be given together');
  }
  if (v.CAMS_HEADERS_TIMEOUT_MS > v.CAMS_REQUEST_TIMEOUT_MS) {
    throw new ConfigError('CAMS_HEADERS_TIMEOUT_MS must not be longer than CAMS_REQUEST_TIMEOUT_MS');
  }
  if (!v.CAMS_METRICS && v.CAMS_METRICS_LISTEN !== undefined) {
    throw new ConfigError('CAMS_METRICS_LISTEN is set but CAMS_METRICS is false: set one or the other');
  }
  const config: Config = {
    host: v.CAMS_HOST,
    port: v.CAMS_PORT,
    dataDir,
    databaseFile: path.resolve(dataDir, v.CAMS_SQLITE_FILE),
    databaseUrl: v.CAMS_DATABASE_URL,
    redis: { url: v.CAMS_REDIS_URL, keyPrefix: v.CAMS_REDIS_KEY_PREFIX },
    masterKey: v.CAMS_MASTER_KEY,
    logLevel: v.CAMS_LOG_LEVEL,
    maxBodyBytes: v.CAMS_MAX_BODY_BYTES,
    readinessTimeoutMs: v.CAMS_READINESS_TIMEOUT_MS,
    shutdownTimeoutMs: v.CAMS_SHUTDOWN_TIMEOUT_MS,
    trustProxy: v.CAMS_TRUST_PROXY,
    portLimits: portLimitsOf(v),
    simulatorSeed: v.CAMS_SIMULATOR_SEED,
    demo: {
      // With Meta as upstream a space needs a real WABA ID, so there is no demo space unless asked.
      enabled: v.CAMS_DEMO ?? (upstream.upstream === 'simulator' || upstream.simulatorHttp !== undefined),
      accountId: v.CAMS_DEMO_ACCOUNT_ID,
      accessKeyId: v.CAMS_DEMO_ACCESS_KEY_ID,
      accessKeySecret: v.CAMS_DEMO_ACCESS_KEY_SECRET,
      custSpaceId: v.CAMS_DEMO_CUST_SPACE_ID,
    },
    operatorToken: v.CAMS_OPERATOR_TOKEN,
    console: {
      sessionIdleMs: v.CAMS_CONSOLE_SESSION_IDLE_MINUTES * 60_000,
      sessionMaxMs: v.CAMS_CONSOLE_SESSION_MAX_HOURS * 3_600_000,
    },
    metrics: {
      enabled: v.CAMS_METRICS,
      // Checked by its declaration: a set CAMS_METRICS_LISTEN is a host:port.
      ...(v.CAMS_METRICS_LISTEN === undefined ? {} : { listen: hostPort(v.CAMS_METRICS_LISTEN)! }),
    },
    webhooks: {
      allowLoopback: v.CAMS_WEBHOOK_ALLOW_LOOPBACK,
      allowPrivate: v.CAMS_WEBHOOK_ALLOW_PRIVATE,
      timeoutMs: v.CAMS_WEBHOOK_TIMEOUT_MS,
      concurrency: v.CAMS_WEBHOOK_CONCURRENCY,
      concurrencyPerAccount: v.CAMS_WEBHOOK_CONCURRENCY_PER_ACCOUNT,
      concurrencyPerOrigin: v.CAMS_WEBHOOK_CONCURRENCY_PER_ORIGIN,
      breakerThreshold: v.CAMS_WEBHOOK_BREAKER_THRESHOLD,
      breakerCooldownMs: v.CAMS_WEBHOOK_BREAKER_COOLDOWN_MS,
    },
    syncIntervalMs: v.CAMS_SYNC_INTERVAL_MS,
    upstreamDeadlineMs: v.CAMS_UPSTREAM_DEADLINE_MS,
    auditRetentionDays: v.CAMS_AUDIT_RETENTION_DAYS,
    meta:
      v.CAMS_META_APP_ID === undefined || v.CAMS_META_CONFIG_ID === undefined
        ? undefined
        : { appId: v.CAMS_META_APP_ID, configId: v.CAMS_META_CONFIG_ID },
    simulator: {
      codeTtlMs: scaled(v.CAMS_SIM_CODE_TTL_SECONDS, 1000),
      verificationTtlMs: scaled(v.CAMS_SIM_VERIFICATION_TTL_HOURS, 3_600_000),
      nameReviewDelayMs: v.CAMS_SIM_NAME_REVIEW_DELAY_MS,
      maxRegisteredPerWaba: v.CAMS_SIM_MAX_REGISTERED_PER_WABA,
      registerLimit: v.CAMS_SIM_REGISTER_LIMIT,
    },
    ...upstream,
    ...overrides,
  };
  return Object.freeze(config);
}

/** A connection URL without its password, for messages and logs (`scheme` names an unparsable one). */
export function redactUrl(url: string, scheme: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return `${scheme}://(unparsable URL)`;
  }
}

export const redactDatabaseUrl = (url: string): string => redactUrl(url, 'postgres');
