import path from 'node:path';
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
  readonly logLevel: string;
  readonly maxBodyBytes: number;
  /** How long `cams serve` lets requests in flight finish after SIGTERM/SIGINT before closing them. */
  readonly shutdownTimeoutMs: number;
  /** How long /readyz waits for the store and Redis before answering 503. */
  readonly readinessTimeoutMs: number;
  /** Trust X-Forwarded-For / X-Forwarded-Proto for acs:SourceIp and acs:SecureTransport. */
  readonly trustProxy: boolean;
  /** Seed of the embedded WhatsApp simulator's deterministic IDs. */
  readonly simulatorSeed: string;
  readonly demo: DemoConfig;
  /** Bearer token of the operator endpoints under /_admin/ (outbox, faults, clock); disabled when absent. */
  readonly operatorToken: string | undefined;
  readonly webhooks: {
    /** Allow callback URLs on loopback addresses (tests, local development). */
    readonly allowLoopback: boolean;
    /** Allow callback URLs on private and link-local addresses (a receiver inside your network). */
    readonly allowPrivate: boolean;
  };
  /** How often numbers are re-read from upstream to announce time-driven changes; 0 turns it off. */
  readonly syncIntervalMs: number;
  /** CAMS_AUDIT_RETENTION_DAYS (default 90): audit events older than this are pruned; 0 keeps them forever. */
  readonly auditRetentionDays: number;
  readonly meta: { readonly appId: string; readonly configId: string };
  readonly simulator: {
    readonly codeTtlMs: number | undefined;
    readonly verificationTtlMs: number | undefined;
    readonly nameReviewDelayMs: number | undefined;
    readonly maxRegisteredPerWaba: number | undefined;
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
  /** The simulator in Meta's wire format under a path prefix of the server (e.g. /_meta); off when absent. */
  readonly simulatorHttp: { readonly prefix: string; readonly token: string } | undefined;
}

/** Fixed demo credentials for CI users; any field left empty is generated on first start. */
export interface DemoConfig {
  readonly enabled: boolean;
  readonly accountId: string | undefined;
  readonly accessKeyId: string | undefined;
  readonly accessKeySecret: string | undefined;
  readonly custSpaceId: string | undefined;
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function optionalInteger(env: Env, name: string, min: number, max: number): number | undefined {
  return env[name] === undefined || env[name] === '' ? undefined : integer(env, name, 0, min, max);
}

function optional(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw === '' ? undefined : raw;
}

/** Oldest Graph API major version still served by Meta (whatsapp-upstream.md §1.1, late 2026). */
const OLDEST_GRAPH_VERSION = 21;

function upstreamConfig(env: Env): Pick<Config, 'upstream' | 'graph' | 'simulatorHttp'> {
  const upstream =
    env.CAMS_UPSTREAM === undefined || env.CAMS_UPSTREAM === '' ? 'simulator' : env.CAMS_UPSTREAM;
  if (upstream !== 'simulator' && upstream !== 'graph') {
    throw new ConfigError(`CAMS_UPSTREAM must be simulator or graph, got "${upstream}"`);
  }
  const baseUrl = (optional(env, 'CAMS_GRAPH_BASE_URL') ?? 'https://graph.facebook.com').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(baseUrl)) {
    throw new ConfigError(
      `CAMS_GRAPH_BASE_URL must be an http(s) URL such as https://graph.facebook.com, got "${baseUrl}"`,
    );
  }
  const apiVersion = optional(env, 'CAMS_GRAPH_API_VERSION') ?? 'v23.0';
  const major = /^v(\d+)\.\d+$/.exec(apiVersion)?.[1];
  if (major === undefined || Number(major) < OLDEST_GRAPH_VERSION) {
    throw new ConfigError(
      `CAMS_GRAPH_API_VERSION must be a live Graph API version such as v23.0 (v${OLDEST_GRAPH_VERSION}.0 or newer), got "${apiVersion}"`,
    );
  }
  const accessToken = optional(env, 'CAMS_GRAPH_ACCESS_TOKEN');
  if (upstream === 'graph' && accessToken === undefined) {
    throw new ConfigError('CAMS_UPSTREAM=graph needs CAMS_GRAPH_ACCESS_TOKEN (a system-user access token)');
  }
  const mount = optional(env, 'CAMS_SIMULATOR_HTTP');
  let simulatorHttp: Config['simulatorHttp'];
  if (mount !== undefined && !['0', 'false', 'no', 'off'].includes(mount.toLowerCase())) {
    const prefix = ['1', 'true', 'yes', 'on'].includes(mount.toLowerCase())
      ? '/_meta'
      : mount.replace(/\/+$/, '');
    if (!/^\/[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(prefix) || prefix === '/_admin') {
      throw new ConfigError(
        `CAMS_SIMULATOR_HTTP must be on, off or a path prefix such as /_meta, got "${mount}"`,
      );
    }
    const token = optional(env, 'CAMS_SIMULATOR_HTTP_TOKEN') ?? accessToken;
    if (token === undefined || token.length < 16) {
      throw new ConfigError(
        'CAMS_SIMULATOR_HTTP needs CAMS_SIMULATOR_HTTP_TOKEN (or CAMS_GRAPH_ACCESS_TOKEN) of at least 16 characters',
      );
    }
    simulatorHttp = { prefix, token };
  }
  return {
    upstream,
    graph: {
      baseUrl,
      apiVersion,
      accessToken,
      timeoutMs: integer(env, 'CAMS_GRAPH_TIMEOUT_MS', 10_000, 100, 120_000),
    },
    simulatorHttp,
  };
}

const scaled = (value: number | undefined, factor: number) =>
  value === undefined ? undefined : value * factor;

export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const dataDir = path.resolve(overrides.dataDir ?? env.CAMS_DATA_DIR ?? 'data');
  const upstream = upstreamConfig(env);
  const config: Config = {
    host: env.CAMS_HOST ?? '127.0.0.1',
    port: integer(env, 'CAMS_PORT', 8080, 0, 65535),
    dataDir,
    databaseFile: path.resolve(dataDir, env.CAMS_SQLITE_FILE ?? 'cams.sqlite'),
    databaseUrl: optional(env, 'CAMS_DATABASE_URL'),
    redis: {
      url: optional(env, 'CAMS_REDIS_URL'),
      keyPrefix: env.CAMS_REDIS_KEY_PREFIX ?? 'cams:',
    },
    masterKey: optional(env, 'CAMS_MASTER_KEY'),
    logLevel: env.CAMS_LOG_LEVEL ?? 'info',
    maxBodyBytes: integer(env, 'CAMS_MAX_BODY_BYTES', 64 * 1024, 1024, 16 * 1024 * 1024),
    readinessTimeoutMs: integer(env, 'CAMS_READINESS_TIMEOUT_MS', 2000, 50, 60_000),
    shutdownTimeoutMs: integer(env, 'CAMS_SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    trustProxy: flag(env, 'CAMS_TRUST_PROXY', false),
    simulatorSeed: env.CAMS_SIMULATOR_SEED ?? 'cams-simulator',
    demo: {
      // With Meta as upstream a space needs a real WABA ID, so there is no demo space unless asked.
      enabled: flag(
        env,
        'CAMS_DEMO',
        upstream.upstream === 'simulator' || upstream.simulatorHttp !== undefined,
      ),
      accountId: optional(env, 'CAMS_DEMO_ACCOUNT_ID'),
      accessKeyId: optional(env, 'CAMS_DEMO_ACCESS_KEY_ID'),
      accessKeySecret: optional(env, 'CAMS_DEMO_ACCESS_KEY_SECRET'),
      custSpaceId: optional(env, 'CAMS_DEMO_CUST_SPACE_ID'),
    },
    operatorToken: optional(env, 'CAMS_OPERATOR_TOKEN'),
    webhooks: {
      allowLoopback: flag(env, 'CAMS_WEBHOOK_ALLOW_LOOPBACK', false),
      allowPrivate: flag(env, 'CAMS_WEBHOOK_ALLOW_PRIVATE', false),
    },
    syncIntervalMs: integer(env, 'CAMS_SYNC_INTERVAL_MS', 30_000, 0, 24 * 3600 * 1000),
    auditRetentionDays: integer(env, 'CAMS_AUDIT_RETENTION_DAYS', 90, 0, 100 * 365),
    meta: {
      appId: env.CAMS_META_APP_ID ?? '1000000000000001',
      configId: env.CAMS_META_CONFIG_ID ?? '2000000000000002',
    },
    simulator: {
      codeTtlMs: scaled(optionalInteger(env, 'CAMS_SIM_CODE_TTL_SECONDS', 1, 86_400), 1000),
      verificationTtlMs: scaled(
        optionalInteger(env, 'CAMS_SIM_VERIFICATION_TTL_HOURS', 1, 24 * 365),
        3_600_000,
      ),
      nameReviewDelayMs: scaled(optionalInteger(env, 'CAMS_SIM_NAME_REVIEW_DELAY_MS', 0, 30 * 86_400_000), 1),
      maxRegisteredPerWaba: optionalInteger(env, 'CAMS_SIM_MAX_REGISTERED_PER_WABA', 1, 10_000),
    },
    ...upstream,
    ...overrides,
  };
  if (config.databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    throw new ConfigError('CAMS_DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  if (config.redis.url !== undefined && !/^rediss?:\/\//.test(config.redis.url)) {
    throw new ConfigError('CAMS_REDIS_URL must be a redis:// or rediss:// URL');
  }
  if (config.operatorToken !== undefined && config.operatorToken.length < 16) {
    throw new ConfigError('CAMS_OPERATOR_TOKEN must be at least 16 characters');
  }
  if (config.demo.accountId !== undefined && !/^[1-9]\d{15}$/.test(config.demo.accountId)) {
    throw new ConfigError('CAMS_DEMO_ACCOUNT_ID must be a 16-digit account UID');
  }
  if ((config.demo.accessKeyId === undefined) !== (config.demo.accessKeySecret === undefined)) {
    throw new ConfigError('CAMS_DEMO_ACCESS_KEY_ID and CAMS_DEMO_ACCESS_KEY_SECRET must be given together');
  }
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
