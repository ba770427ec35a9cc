import { isIP } from 'node:net';
import { decodeMasterKey } from './crypto/master-key.js';
import { ConfigError } from './errors/index.js';

/**
 * Every environment variable the service reads, declared once: how it is read and checked (config.ts
 * reads the environment only through `readEnv`) and how users see it (docs/configuration.md is generated
 * from these declarations; a test fails when the two drift apart, or when `src/` names a `CAMS_` variable
 * that is not declared here).
 */
export interface ConfigVar<T> {
  readonly group: ConfigGroup;
  /** The default as users see it (markdown). */
  readonly shownDefault: string;
  /** What a value must look like, as the table and a refusal say it (markdown). */
  readonly accepts: string;
  readonly meaning: string;
  /** A secret is never repeated in a refusal. */
  readonly secret: boolean;
  /** The value when unset or empty. */
  readonly fallback: T;
  /** The value of a set variable, or INVALID. */
  read(raw: string): T | typeof INVALID;
}

export const CONFIG_GROUPS = [
  'Server',
  'Storage',
  'Upstream (Meta)',
  'Simulator',
  'Webhooks',
  'Operator API',
  'Audit trail',
  'Metrics',
  'Demo account',
] as const;
export type ConfigGroup = (typeof CONFIG_GROUPS)[number];

const INVALID = Symbol('invalid');

interface Doc {
  readonly group: ConfigGroup;
  readonly meaning: string;
  readonly secret?: boolean;
}

function declare<T>(
  doc: Doc & { shownDefault: string; accepts: string; fallback: T },
  read: (raw: string) => T | typeof INVALID,
): ConfigVar<T> {
  return { secret: false, ...doc, read };
}

const shown = (value: unknown) => `\`${String(value)}\``;

function integer(
  doc: Doc & { min: number; max: number; fallback: number; shownDefault?: string },
): ConfigVar<number>;
function integer(
  doc: Doc & { min: number; max: number; shownDefault: string },
): ConfigVar<number | undefined>;
function integer(
  doc: Doc & { min: number; max: number; fallback?: number; shownDefault?: string },
): ConfigVar<number | undefined> {
  const { min, max } = doc;
  return declare(
    {
      ...doc,
      fallback: doc.fallback,
      shownDefault: doc.shownDefault ?? shown(doc.fallback),
      accepts: `an integer from ${min} to ${max}`,
    },
    (raw) => {
      const value = /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
      return Number.isInteger(value) && value >= min && value <= max ? value : INVALID;
    },
  );
}

const TRUE = ['1', 'true', 'yes', 'on'];
const FALSE = ['0', 'false', 'no', 'off'];
const BOOLEAN = '`true` or `false` (also `1`/`0`, `yes`/`no`, `on`/`off`)';

function flag(doc: Doc & { fallback: boolean }): ConfigVar<boolean>;
function flag(doc: Doc & { shownDefault: string }): ConfigVar<boolean | undefined>;
function flag(doc: Doc & { fallback?: boolean; shownDefault?: string }): ConfigVar<boolean | undefined> {
  return declare(
    {
      ...doc,
      fallback: doc.fallback,
      shownDefault: doc.shownDefault ?? shown(doc.fallback),
      accepts: BOOLEAN,
    },
    (raw) => (TRUE.includes(raw.toLowerCase()) ? true : FALSE.includes(raw.toLowerCase()) ? false : INVALID),
  );
}

function oneOf<const V extends string>(doc: Doc & { values: readonly V[]; fallback: V }): ConfigVar<V> {
  return declare(
    {
      ...doc,
      shownDefault: shown(doc.fallback),
      accepts: doc.values
        .map(shown)
        .join(', ')
        .replace(/, ([^,]+)$/, ' or $1'),
    },
    (raw) => (doc.values.includes(raw as V) ? (raw as V) : INVALID),
  );
}

/** A string, optionally checked; the fallback is shown as code unless `shownDefault` says otherwise. */
function text(
  doc: Doc & { fallback: string; accepts?: string; test?: (raw: string) => boolean; shownDefault?: string },
): ConfigVar<string>;
function text(
  doc: Doc & { shownDefault: string; accepts?: string; test?: (raw: string) => boolean },
): ConfigVar<string | undefined>;
function text(
  doc: Doc & { fallback?: string; accepts?: string; test?: (raw: string) => boolean; shownDefault?: string },
): ConfigVar<string | undefined> {
  const test = doc.test ?? (() => true);
  return declare(
    {
      ...doc,
      fallback: doc.fallback,
      shownDefault: doc.shownDefault ?? shown(doc.fallback),
      accepts: doc.accepts ?? 'any text',
    },
    (raw) => (test(raw) ? raw : INVALID),
  );
}

function url(raw: string, schemes: readonly string[]): boolean {
  try {
    const u = new URL(raw);
    return schemes.includes(u.protocol.slice(0, -1)) && u.host !== '';
  } catch {
    return false;
  }
}

const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** Oldest Graph API major version still served by Meta (whatsapp-upstream.md §1.1, late 2026). */
export const OLDEST_GRAPH_VERSION = 21;
/** The rules `cams` applies to the same values (iam-service.ts ACCESS_KEY_ID, spaces.ts SPACE_ID). */
const ACCESS_KEY_ID = /^[A-Za-z0-9]{8,64}$/;
const SPACE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{3,63}$/;
const META_ID = /^\d{1,20}$/;
/** `host:port` (an IPv6 host in brackets): its parts, or undefined when it is not one. */
export function hostPort(raw: string): { host: string; port: number } | undefined {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[^:\s]+):(\d{1,5})$/.exec(raw);
  if (match === null) return undefined;
  const host = match[1]!.replace(/^\[(.*)\]$/, '$1');
  const port = Number(match[2]);
  if (port > 65535 || (isIP(host) === 0 && !HOST_NAME.test(host))) return undefined;
  return { host, port };
}
const atLeast16 = (raw: string) => raw.length >= 16;
const noSpaces = (raw: string) => /^\S+$/.test(raw);

/** The simulator in Meta's format under a path prefix (`false`: off). */
const SIMULATOR_HTTP: ConfigVar<string | false> = declare(
  {
    group: 'Simulator',
    fallback: false,
    shownDefault: 'off',
    accepts: '`on` (the same as `/_meta`), `off`, or a path prefix such as `/_meta`',
    meaning:
      "Serve the simulator in Meta's Graph API format on the server's port under this prefix, so the Graph client (`CAMS_UPSTREAM=graph`) can be pointed at it. Not `/_admin`.",
  },
  (raw) => {
    if (FALSE.includes(raw.toLowerCase())) return false;
    const prefix = TRUE.includes(raw.toLowerCase()) ? '/_meta' : raw.replace(/\/+$/, '');
    return /^\/[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(prefix) && prefix !== '/_admin' ? prefix : INVALID;
  },
);

export const CONFIG_VARS = {
  // --- Server ---
  CAMS_HOST: text({
    group: 'Server',
    fallback: '127.0.0.1',
    accepts: 'an IP address or host name',
    test: (raw) => isIP(raw) !== 0 || HOST_NAME.test(raw),
    meaning: 'Listen address (`0.0.0.0` for all interfaces). `cams serve --host` overrides it.',
  }),
  CAMS_PORT: integer({
    group: 'Server',
    fallback: 8080,
    min: 0,
    max: 65535,
    meaning: 'Listen port (`0`: any free port). `cams serve --port` overrides it.',
  }),
  CAMS_LOG_LEVEL: oneOf({
    group: 'Server',
    values: LOG_LEVELS,
    fallback: 'info',
    meaning: 'Logs are JSON lines on stdout (on stderr for the admin verbs of `cams`).',
  }),
  CAMS_MAX_BODY_BYTES: integer({
    group: 'Server',
    fallback: 64 * 1024,
    min: 1024,
    max: 16 * 1024 * 1024,
    meaning: 'Larger request bodies answer `RequestEntity.TooLarge` (413).',
  }),
  CAMS_TRUST_PROXY: flag({
    group: 'Server',
    fallback: false,
    meaning:
      'Take `acs:SourceIp` from `X-Forwarded-For` and `acs:SecureTransport` from `X-Forwarded-Proto`. Only behind a proxy you control.',
  }),
  CAMS_HEADERS_TIMEOUT_MS: integer({
    group: 'Server',
    fallback: 10_000,
    min: 500,
    max: 600_000,
    meaning:
      'A request whose head (request line and headers) has not fully arrived this long after its first byte is answered `Request.Timeout` (408) and its connection closed. At most `CAMS_REQUEST_TIMEOUT_MS`.',
  }),
  CAMS_REQUEST_TIMEOUT_MS: integer({
    group: 'Server',
    fallback: 30_000,
    min: 500,
    max: 3_600_000,
    meaning:
      'A request (head and whole body) not received this long after its first byte is answered `Request.Timeout` (408) and its connection closed: a client trickling its body cannot hold a connection.',
  }),
  CAMS_KEEP_ALIVE_TIMEOUT_MS: integer({
    group: 'Server',
    fallback: 5_000,
    min: 100,
    max: 600_000,
    meaning:
      "A keep-alive connection idle this long between requests is closed. Behind a load balancer, set it above the balancer's own idle timeout.",
  }),
  CAMS_MAX_HEADER_BYTES: integer({
    group: 'Server',
    // The RAM SDK sends every parameter in the query, a policy document of up to 6144 characters
    // included (cams-api.md §4.1), which percent-encoding can triple: Node's 16 KiB would refuse it.
    fallback: 64 * 1024,
    min: 1024,
    max: 1024 * 1024,
    meaning:
      'Largest request head (request line and headers); a larger one is answered `RequestHeader.TooLarge` (431) and its connection closed. 64 KiB holds a RAM policy document of the largest size, which the RAM SDK sends in the query.',
  }),
  CAMS_MAX_CONNECTIONS: integer({
    group: 'Server',
    fallback: 1000,
    min: 1,
    max: 1_000_000,
    meaning:
      'Open connections the port accepts at once; a connection past the cap is closed as soon as it is accepted (a warning is logged, at most every 10 s). Keep it below the open-file limit of the process (`ulimit -n`).',
  }),
  CAMS_MAX_IN_FLIGHT: integer({
    group: 'Server',
    fallback: 512,
    min: 0,
    max: 1_000_000,
    meaning:
      "Requests handled at once by the process; more wait in their source's queue and sources take turns (round-robin) as requests finish. `0`: no cap.",
  }),
  CAMS_MAX_IN_FLIGHT_PER_SOURCE: integer({
    group: 'Server',
    fallback: 32,
    min: 0,
    max: 1_000_000,
    meaning:
      "Requests of one source address handled at once (the address `CAMS_TRUST_PROXY` says: the peer, or the first `X-Forwarded-For` entry); more wait in that source's queue, so one flood cannot starve other clients. `0`: no cap.",
  }),
  CAMS_MAX_QUEUED_PER_SOURCE: integer({
    group: 'Server',
    fallback: 1024,
    min: 0,
    max: 1_000_000,
    meaning:
      'Requests of one source that may wait for a turn; one more is answered `Throttling` (400) at once, without being authenticated, and its connection closed.',
  }),
  CAMS_READINESS_TIMEOUT_MS: integer({
    group: 'Server',
    fallback: 2000,
    min: 50,
    max: 60_000,
    meaning: 'How long `GET /readyz` waits for the store and Redis before it answers 503.',
  }),
  CAMS_SHUTDOWN_TIMEOUT_MS: integer({
    group: 'Server',
    fallback: 10_000,
    min: 0,
    max: 600_000,
    meaning:
      'After SIGTERM/SIGINT, how long requests in flight may take before their connections are closed.',
  }),
  CAMS_SYNC_INTERVAL_MS: integer({
    group: 'Server',
    fallback: 30_000,
    min: 0,
    max: 24 * 3600 * 1000,
    meaning:
      'How often the background reconciler re-reads numbers in transition from upstream (a review decided, a verification lapsed); `0` turns it off. A pass takes at most a quarter of the process time, so a long one stretches.',
  }),
  // --- Storage ---
  CAMS_DATA_DIR: text({
    group: 'Storage',
    fallback: 'data',
    shownDefault: '`./data`',
    accepts: 'a directory path',
    meaning:
      'SQLite database, master key file, demo credentials; created on first start. `cams --data-dir` overrides it.',
  }),
  CAMS_SQLITE_FILE: text({
    group: 'Storage',
    fallback: 'cams.sqlite',
    accepts: 'a file path',
    meaning: 'The SQLite database, relative to the data directory. Unused with `CAMS_DATABASE_URL`.',
  }),
  CAMS_DATABASE_URL: text({
    group: 'Storage',
    shownDefault: '(SQLite)',
    accepts: 'a `postgres://` or `postgresql://` URL',
    test: (raw) => url(raw, ['postgres', 'postgresql']),
    secret: true,
    meaning:
      '`postgres://user:password@host:5432/db`: PostgreSQL instead of the SQLite file, shared by several instances.',
  }),
  CAMS_REDIS_URL: text({
    group: 'Storage',
    shownDefault: '(in memory)',
    accepts: 'a `redis://` or `rediss://` URL',
    test: (raw) => url(raw, ['redis', 'rediss']),
    secret: true,
    meaning:
      '`redis://[:password@]host:6379[/db]`: flow-control windows and nonces in Redis, shared by several instances.',
  }),
  CAMS_REDIS_KEY_PREFIX: text({
    group: 'Storage',
    fallback: 'cams:',
    meaning: 'Prefix of every Redis key this service writes, so deployments can share one Redis.',
  }),
  CAMS_MASTER_KEY: text({
    group: 'Storage',
    shownDefault: '(key file)',
    accepts: '32 bytes as 64 hex characters or base64 (`openssl rand -base64 32`)',
    test: (raw) => {
      try {
        decodeMasterKey(raw);
        return true;
      } catch {
        return false;
      }
    },
    secret: true,
    meaning:
      'Key of the secrets at rest. Without it, `master.key` (mode 0600) is created in the data directory. Start-up fails if the key does not match the database; several instances need the same key.',
  }),
  // --- Upstream (Meta) ---
  CAMS_UPSTREAM: oneOf({
    group: 'Upstream (Meta)',
    values: ['simulator', 'graph'],
    fallback: 'simulator',
    meaning: "`graph` to use Meta's Graph API instead of the embedded simulator.",
  }),
  CAMS_GRAPH_ACCESS_TOKEN: text({
    group: 'Upstream (Meta)',
    shownDefault: '—',
    accepts: 'a token without spaces',
    test: noSpaces,
    secret: true,
    meaning:
      'The system-user token with `whatsapp_business_management`; required with `CAMS_UPSTREAM=graph`. Never logged.',
  }),
  CAMS_GRAPH_API_VERSION: text({
    group: 'Upstream (Meta)',
    fallback: 'v23.0',
    accepts: `a live Graph API version such as \`v23.0\` (v${OLDEST_GRAPH_VERSION}.0 or newer)`,
    test: (raw) => Number(/^v(\d+)\.\d+$/.exec(raw)?.[1] ?? 0) >= OLDEST_GRAPH_VERSION,
    meaning: 'The Graph API version of every call (v19.0 and v20.0 have expired).',
  }),
  CAMS_GRAPH_BASE_URL: text({
    group: 'Upstream (Meta)',
    fallback: 'https://graph.facebook.com',
    accepts: 'an http(s) URL such as `https://graph.facebook.com`',
    test: (raw) => url(raw, ['http', 'https']),
    meaning: 'Where the Graph API is.',
  }),
  CAMS_GRAPH_TIMEOUT_MS: integer({
    group: 'Upstream (Meta)',
    fallback: 10_000,
    min: 100,
    max: 120_000,
    meaning: 'Timeout of each Graph API call (each attempt; the request budget below can cut it shorter).',
  }),
  CAMS_INTENT_LEASE_MS: integer({
    group: 'Upstream (Meta)',
    min: 1_000,
    max: 600_000,
    shownDefault: '`30000`, or twice `CAMS_GRAPH_TIMEOUT_MS` when longer',
    meaning:
      "How long an Add's intent, recorded before the number is created upstream, keeps other Adds of the number answering `PhoneNumber.Exists` (the first Add may be creating it). An Add cut by a crash is recovered by the next Add or sync once it lapses. At least twice `CAMS_GRAPH_TIMEOUT_MS`; shorten it only when the clocks of all instances agree to well within it.",
  }),
  CAMS_UPSTREAM_DEADLINE_MS: integer({
    group: 'Upstream (Meta)',
    fallback: 2_500,
    min: 100,
    max: 120_000,
    meaning:
      "The time all Graph API calls of one CAMS request may take, retries included; past it the request answers `Upstream.Timeout` (503). The default answers before the official SDKs' 3-second default timeout; raise it only with your clients' `readTimeout`.",
  }),
  CAMS_META_APP_ID: text({
    group: 'Upstream (Meta)',
    shownDefault: '(the simulator’s `sim-app-…`)',
    accepts: 'a numeric Meta app ID',
    test: (raw) => META_ID.test(raw),
    meaning:
      "The Meta app of your Embedded Signup, answered by `IsvGetAppId`; give it with `CAMS_META_CONFIG_ID`. When both are unset, the simulator answers its own IDs (`sim-app-…`, `sim-config-…`, not Meta's), and with `CAMS_UPSTREAM=graph` `IsvGetAppId` answers `EmbeddedSignup.NotConfigured`.",
  }),
  CAMS_META_CONFIG_ID: text({
    group: 'Upstream (Meta)',
    shownDefault: '(the simulator’s `sim-config-…`)',
    accepts: 'a numeric Embedded Signup configuration ID',
    test: (raw) => META_ID.test(raw),
    meaning: 'The Embedded Signup configuration answered by `IsvGetAppId`, with `CAMS_META_APP_ID`.',
  }),
  // --- Simulator ---
  CAMS_SIMULATOR_SEED: text({
    group: 'Simulator',
    fallback: 'cams-simulator',
    meaning: "Seed of the simulator's deterministic WABA and phone-number IDs and verification codes.",
  }),
  CAMS_SIMULATOR_HTTP: SIMULATOR_HTTP,
  CAMS_SIMULATOR_HTTP_TOKEN: text({
    group: 'Simulator',
    shownDefault: '`CAMS_GRAPH_ACCESS_TOKEN`',
    accepts: 'at least 16 characters',
    test: atLeast16,
    secret: true,
    meaning: 'The bearer token the simulator accepts under `CAMS_SIMULATOR_HTTP`.',
  }),
  CAMS_SIM_CODE_TTL_SECONDS: integer({
    group: 'Simulator',
    shownDefault: '`600` (10 minutes, as Meta)',
    min: 1,
    max: 86_400,
    meaning: 'Lifetime of a verification code the simulator sends.',
  }),
  CAMS_SIM_VERIFICATION_TTL_HOURS: integer({
    group: 'Simulator',
    shownDefault: '`336` (14 days, as Meta)',
    min: 1,
    max: 24 * 365,
    meaning: 'How long a number stays VERIFIED in the simulator before it lapses to EXPIRED.',
  }),
  CAMS_SIM_NAME_REVIEW_DELAY_MS: integer({
    group: 'Simulator',
    shownDefault: '`5000`',
    min: 0,
    max: 30 * 86_400_000,
    meaning: "Simulator time from a number's creation to the decision on its display name.",
  }),
  CAMS_SIM_MAX_REGISTERED_PER_WABA: integer({
    group: 'Simulator',
    shownDefault: '`2` (as Meta, at first)',
    min: 1,
    max: 10_000,
    meaning: 'Registered numbers per WABA before the simulator refuses a register.',
  }),
  CAMS_SIM_REGISTER_LIMIT: integer({
    group: 'Simulator',
    shownDefault: '`10` (as Meta)',
    min: 1,
    max: 10_000,
    meaning:
      'Register requests per number in 72 hours before the simulator answers 133016; deregister requests have a budget of the same size of their own.',
  }),
  // --- Webhooks ---
  CAMS_WEBHOOK_ALLOW_LOOPBACK: flag({
    group: 'Webhooks',
    fallback: false,
    meaning: 'Allow callback URLs on loopback addresses (tests, local development).',
  }),
  CAMS_WEBHOOK_ALLOW_PRIVATE: flag({
    group: 'Webhooks',
    fallback: false,
    meaning: 'Allow callback URLs on private and link-local addresses (a receiver inside your network).',
  }),
  CAMS_WEBHOOK_TIMEOUT_MS: integer({
    group: 'Webhooks',
    fallback: 3_000,
    min: 100,
    max: 30_000,
    meaning:
      'Time one delivery attempt may take, from DNS to the end of the answer; a receiver still silent (or still trickling its answer) then is a failed attempt, retried later.',
  }),
  CAMS_WEBHOOK_CONCURRENCY: integer({
    group: 'Webhooks',
    fallback: 8,
    min: 1,
    max: 1_000,
    meaning: 'Webhook deliveries in flight at once, per instance.',
  }),
  CAMS_WEBHOOK_CONCURRENCY_PER_ACCOUNT: integer({
    group: 'Webhooks',
    fallback: 2,
    min: 1,
    max: 1_000,
    meaning:
      "Of those, at most this many for one account, so a slow or dead receiver delays only its own account's events.",
  }),
  CAMS_WEBHOOK_CONCURRENCY_PER_ORIGIN: integer({
    group: 'Webhooks',
    fallback: 2,
    min: 1,
    max: 1_000,
    meaning:
      'Of those, at most this many to one receiver (scheme, host and port), whichever accounts use it.',
  }),
  CAMS_WEBHOOK_BREAKER_THRESHOLD: integer({
    group: 'Webhooks',
    fallback: 5,
    min: 1,
    max: 1_000,
    meaning:
      'Consecutive failed attempts (timeout, connection error, non-2xx) to one receiver that open its circuit breaker: its events wait in the outbox, not attempted, for `CAMS_WEBHOOK_BREAKER_COOLDOWN_MS`.',
  }),
  CAMS_WEBHOOK_BREAKER_COOLDOWN_MS: integer({
    group: 'Webhooks',
    fallback: 30_000,
    min: 100,
    max: 3_600_000,
    meaning:
      "How long an open circuit breaker holds back its receiver's events; then one attempt probes it: success resumes deliveries, failure starts another cool-down.",
  }),
  // --- Operator API ---
  CAMS_OPERATOR_TOKEN: text({
    group: 'Operator API',
    shownDefault: '(off)',
    accepts: 'at least 16 characters',
    test: atLeast16,
    secret: true,
    meaning:
      'Bearer token of the operator endpoints under `/_admin/` (simulator outbox, faults, clock, the numbers of a space) and of the console (`/console`); without it they answer 404. `cams serve` on loopback with the demo on makes one when it is unset and keeps it in `<data dir>/operator-token` (0600).',
  }),
  CAMS_CONSOLE_SESSION_IDLE_MINUTES: integer({
    group: 'Operator API',
    fallback: 30,
    min: 1,
    max: 24 * 60,
    meaning:
      'A console session (`/console`) ends after this many minutes without a request; the operator signs in again with the token.',
  }),
  CAMS_CONSOLE_SESSION_MAX_HOURS: integer({
    group: 'Operator API',
    fallback: 12,
    min: 1,
    max: 24 * 30,
    meaning: 'A console session ends this many hours after sign-in, however busy it is.',
  }),
  // --- Audit trail ---
  CAMS_AUDIT_RETENTION_DAYS: integer({
    group: 'Audit trail',
    fallback: 90,
    min: 0,
    max: 100 * 365,
    meaning:
      'Audit events (README "Audit trail") older than this many days are pruned, hourly and at start; `0` keeps them forever.',
  }),
  // --- Metrics ---
  CAMS_METRICS: flag({
    group: 'Metrics',
    fallback: true,
    meaning:
      'Collect Prometheus metrics and serve them at `GET /metrics` (README "Metrics"); `false` turns collection and the endpoint off.',
  }),
  CAMS_METRICS_LISTEN: text({
    group: 'Metrics',
    shownDefault: '(off)',
    accepts: '`host:port`, e.g. `127.0.0.1:9464`',
    test: (raw) => hostPort(raw) !== undefined,
    meaning:
      'Serve `/metrics` on this separate address, without a token, and not on the API port. Without it, `/metrics` is on the API port and needs `Authorization: Bearer <CAMS_OPERATOR_TOKEN>`.',
  }),
  // --- Demo account ---
  CAMS_DEMO: flag({
    group: 'Demo account',
    shownDefault: '`true` with the simulator, `false` with `graph` (unless `CAMS_SIMULATOR_HTTP`)',
    meaning: 'Create a demo account, root key and customer space on first start (an empty store).',
  }),
  CAMS_DEMO_ACCOUNT_ID: text({
    group: 'Demo account',
    shownDefault: 'generated',
    accepts: 'a 16-digit account UID',
    test: (raw) => /^[1-9]\d{15}$/.test(raw),
    meaning: 'Fixed demo account UID, for CI users who want known values.',
  }),
  CAMS_DEMO_ACCESS_KEY_ID: text({
    group: 'Demo account',
    shownDefault: 'generated',
    accepts: '8-64 letters or digits',
    test: (raw) => ACCESS_KEY_ID.test(raw),
    meaning: 'Fixed demo AccessKey ID; give it with `CAMS_DEMO_ACCESS_KEY_SECRET`.',
  }),
  CAMS_DEMO_ACCESS_KEY_SECRET: text({
    group: 'Demo account',
    shownDefault: 'generated',
    accepts: 'at least 16 characters',
    test: atLeast16,
    secret: true,
    meaning: 'Fixed demo AccessKey secret; give it with `CAMS_DEMO_ACCESS_KEY_ID`.',
  }),
  CAMS_DEMO_CUST_SPACE_ID: text({
    group: 'Demo account',
    shownDefault: 'generated',
    accepts: '4-64 letters, digits, `_` or `-`, starting with a letter or digit',
    test: (raw) => SPACE_ID.test(raw),
    meaning: 'Fixed demo customer space ID.',
  }),
} satisfies Record<`CAMS_${string}`, ConfigVar<unknown>>;

export type ConfigVarName = keyof typeof CONFIG_VARS;
export type ConfigValues = {
  readonly [K in ConfigVarName]: (typeof CONFIG_VARS)[K] extends ConfigVar<infer T> ? T : never;
};

const plain = (markdown: string) => markdown.replace(/`/g, '');

/**
 * Reads and checks every declared variable (unset or empty: its fallback); the first invalid one is
 * refused with a ConfigError naming it and the accepted form, never repeating a secret.
 */
export function readEnv(env: Record<string, string | undefined>): ConfigValues {
  const values: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(CONFIG_VARS) as Array<[string, ConfigVar<unknown>]>) {
    const raw = env[name];
    if (raw === undefined || raw === '') {
      values[name] = v.fallback;
      continue;
    }
    const value = v.read(raw);
    if (value === INVALID) {
      throw new ConfigError(
        v.secret
          ? `${name} must be ${plain(v.accepts)}; the value given is not (it is secret, so not shown)`
          : `${name} must be ${plain(v.accepts)}, got "${raw}"`,
      );
    }
    values[name] = value;
  }
  return values as ConfigValues;
}
