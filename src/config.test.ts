import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARS } from './config-vars.js';
import { loadConfig } from './config.js';
import { ConfigError } from './errors/index.js';
import { DEFAULT_SIMULATOR_OPTIONS } from './upstream/simulator/options.js';

/** The ConfigError message loadConfig throws for `env`. */
function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

describe('loadConfig', () => {
  it('reads every declared variable and nothing else from the environment', () => {
    const read = new Set<string>();
    const env = new Proxy({} as Record<string, string | undefined>, {
      get: (_target, name) => {
        if (typeof name === 'string') read.add(name);
        return undefined;
      },
    });
    loadConfig(env);
    expect([...read].sort()).toEqual(Object.keys(CONFIG_VARS).sort());
  });

  it('keeps the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      dataDir: path.resolve('data'),
      databaseFile: path.resolve('data', 'cams.sqlite'),
      databaseUrl: undefined,
      redis: { url: undefined, keyPrefix: 'cams:' },
      masterKey: undefined,
      logLevel: 'info',
      maxBodyBytes: 65_536,
      readinessTimeoutMs: 2000,
      shutdownTimeoutMs: 10_000,
      trustProxy: false,
      portLimits: {
        headersTimeoutMs: 10_000,
        requestTimeoutMs: 30_000,
        keepAliveTimeoutMs: 5_000,
        maxHeaderBytes: 65_536,
        maxConnections: 1000,
        maxInFlight: 512,
        maxInFlightPerSource: 32,
        maxQueuedPerSource: 1024,
      },
      simulatorSeed: 'cams-simulator',
      operatorToken: undefined,
      webhooks: {
        allowLoopback: false,
        allowPrivate: false,
        timeoutMs: 3_000,
        concurrency: 8,
        concurrencyPerAccount: 2,
        concurrencyPerOrigin: 2,
        breakerThreshold: 5,
        breakerCooldownMs: 30_000,
      },
      syncIntervalMs: 30_000,
      meta: undefined,
      upstream: 'simulator',
      simulatorHttp: undefined,
      intentLeaseMs: undefined,
    });
    expect(c.demo).toEqual({
      enabled: true,
      accountId: undefined,
      accessKeyId: undefined,
      accessKeySecret: undefined,
      custSpaceId: undefined,
    });
    expect(c.simulator).toEqual({
      codeTtlMs: undefined,
      verificationTtlMs: undefined,
      nameReviewDelayMs: undefined,
      maxRegisteredPerWaba: undefined,
      registerLimit: undefined,
    });
  });

  it("shows the simulator's own defaults for the CAMS_SIM_* it leaves unset", () => {
    const d = DEFAULT_SIMULATOR_OPTIONS;
    expect(CONFIG_VARS.CAMS_SIM_CODE_TTL_SECONDS.shownDefault).toContain(`\`${d.codeTtlMs / 1000}\``);
    expect(CONFIG_VARS.CAMS_SIM_VERIFICATION_TTL_HOURS.shownDefault).toContain(
      `\`${d.verificationTtlMs / 3_600_000}\``,
    );
    expect(CONFIG_VARS.CAMS_SIM_NAME_REVIEW_DELAY_MS.shownDefault).toContain(`\`${d.nameReviewDelayMs}\``);
    expect(CONFIG_VARS.CAMS_SIM_MAX_REGISTERED_PER_WABA.shownDefault).toContain(
      `\`${d.maxRegisteredPerWaba}\``,
    );
    expect(CONFIG_VARS.CAMS_SIM_REGISTER_LIMIT.shownDefault).toContain(`\`${d.registerLimit}\``);
  });

  it('takes valid values of every kind', () => {
    const c = loadConfig({
      CAMS_HOST: '::',
      CAMS_PORT: '0',
      CAMS_LOG_LEVEL: 'warn',
      CAMS_TRUST_PROXY: 'YES',
      CAMS_DATABASE_URL: 'postgresql://cams:pw@db.internal:5432/cams',
      CAMS_REDIS_URL: 'rediss://:pw@redis.internal:6380/1',
      CAMS_SIM_CODE_TTL_SECONDS: '30',
      CAMS_SIM_VERIFICATION_TTL_HOURS: '2',
      CAMS_SIM_REGISTER_LIMIT: '3',
      CAMS_META_APP_ID: '123456789012345',
      CAMS_META_CONFIG_ID: '987654321',
      CAMS_DEMO: 'off',
      CAMS_SQLITE_FILE: '',
      CAMS_WEBHOOK_TIMEOUT_MS: '1500',
      CAMS_WEBHOOK_CONCURRENCY: '16',
      CAMS_WEBHOOK_CONCURRENCY_PER_ACCOUNT: '4',
      CAMS_WEBHOOK_CONCURRENCY_PER_ORIGIN: '3',
      CAMS_WEBHOOK_BREAKER_THRESHOLD: '10',
      CAMS_WEBHOOK_BREAKER_COOLDOWN_MS: '60000',
    });
    expect(c).toMatchObject({
      host: '::',
      port: 0,
      logLevel: 'warn',
      trustProxy: true,
      databaseUrl: 'postgresql://cams:pw@db.internal:5432/cams',
      redis: { url: 'rediss://:pw@redis.internal:6380/1' },
      simulator: { codeTtlMs: 30_000, verificationTtlMs: 7_200_000, registerLimit: 3 },
      meta: { appId: '123456789012345', configId: '987654321' },
      demo: { enabled: false },
      webhooks: {
        timeoutMs: 1500,
        concurrency: 16,
        concurrencyPerAccount: 4,
        concurrencyPerOrigin: 3,
        breakerThreshold: 10,
        breakerCooldownMs: 60_000,
      },
    });
    // Empty is unset.
    expect(c.databaseFile).toBe(path.resolve('data', 'cams.sqlite'));
  });

  it('takes an intent lease of at least twice the Graph timeout, and refuses a shorter one', () => {
    expect(loadConfig({ CAMS_GRAPH_TIMEOUT_MS: '1000', CAMS_INTENT_LEASE_MS: '2000' }).intentLeaseMs).toBe(
      2000,
    );
    expect(refusal({ CAMS_INTENT_LEASE_MS: '15000' })).toBe(
      'CAMS_INTENT_LEASE_MS must be at least twice CAMS_GRAPH_TIMEOUT_MS (20000), got 15000',
    );
  });

  it.each<[string, Record<string, string>, string]>([
    ['a number', { CAMS_PORT: '80a' }, 'CAMS_PORT must be an integer from 0 to 65535, got "80a"'],
    ['a number', { CAMS_PORT: '65536' }, 'CAMS_PORT must be an integer from 0 to 65535, got "65536"'],
    ['a number', { CAMS_SYNC_INTERVAL_MS: '1.5' }, 'CAMS_SYNC_INTERVAL_MS must be an integer from 0'],
    ['a number', { CAMS_SIM_CODE_TTL_SECONDS: '0' }, 'CAMS_SIM_CODE_TTL_SECONDS must be an integer from 1'],
    [
      'a boolean',
      { CAMS_TRUST_PROXY: 'maybe' },
      'CAMS_TRUST_PROXY must be true or false (also 1/0, yes/no, on/off), got "maybe"',
    ],
    ['a boolean', { CAMS_WEBHOOK_ALLOW_PRIVATE: 'y' }, 'CAMS_WEBHOOK_ALLOW_PRIVATE must be true or false'],
    [
      'a number',
      { CAMS_WEBHOOK_TIMEOUT_MS: '60000' },
      'CAMS_WEBHOOK_TIMEOUT_MS must be an integer from 100 to 30000, got "60000"',
    ],
    [
      'a number',
      { CAMS_WEBHOOK_CONCURRENCY_PER_ACCOUNT: '0' },
      'CAMS_WEBHOOK_CONCURRENCY_PER_ACCOUNT must be an integer from 1 to 1000, got "0"',
    ],
    [
      'an enum',
      { CAMS_LOG_LEVEL: 'verbose' },
      'CAMS_LOG_LEVEL must be fatal, error, warn, info, debug, trace or silent, got "verbose"',
    ],
    ['an enum', { CAMS_UPSTREAM: 'meta' }, 'CAMS_UPSTREAM must be simulator or graph, got "meta"'],
    ['a URL', { CAMS_GRAPH_BASE_URL: 'graph.facebook.com' }, 'CAMS_GRAPH_BASE_URL must be an http(s) URL'],
    ['a URL', { CAMS_REDIS_URL: 'localhost:6379' }, 'CAMS_REDIS_URL must be a redis:// or rediss:// URL'],
    ['a URL', { CAMS_DATABASE_URL: 'mysql://db/cams' }, 'CAMS_DATABASE_URL must be a postgres://'],
    ['a host', { CAMS_HOST: 'localhost:8080' }, 'CAMS_HOST must be an IP address or host name, got'],
    ['a path prefix', { CAMS_SIMULATOR_HTTP: 'meta' }, 'CAMS_SIMULATOR_HTTP must be on (the same as /_meta)'],
    ['a version', { CAMS_GRAPH_API_VERSION: 'v20.0' }, 'CAMS_GRAPH_API_VERSION must be a live Graph API'],
    ['an ID', { CAMS_META_APP_ID: 'my-app' }, 'CAMS_META_APP_ID must be a numeric Meta app ID, got "my-app"'],
    ['an ID', { CAMS_DEMO_ACCOUNT_ID: '123' }, 'CAMS_DEMO_ACCOUNT_ID must be a 16-digit account UID'],
    [
      'an ID',
      { CAMS_DEMO_ACCESS_KEY_ID: 'LTAI_x' },
      'CAMS_DEMO_ACCESS_KEY_ID must be 8-64 letters or digits',
    ],
    ['an ID', { CAMS_DEMO_CUST_SPACE_ID: '-x' }, 'CAMS_DEMO_CUST_SPACE_ID must be 4-64 letters'],
    [
      'a pair',
      { CAMS_META_APP_ID: '1234' },
      'CAMS_META_APP_ID and CAMS_META_CONFIG_ID must be given together',
    ],
    ['a dependency', { CAMS_UPSTREAM: 'graph' }, 'CAMS_UPSTREAM=graph needs CAMS_GRAPH_ACCESS_TOKEN'],
    [
      'an order',
      { CAMS_HEADERS_TIMEOUT_MS: '20000', CAMS_REQUEST_TIMEOUT_MS: '10000' },
      'CAMS_HEADERS_TIMEOUT_MS must not be longer than CAMS_REQUEST_TIMEOUT_MS',
    ],
  ])('refuses %s at start, naming the variable: %o', (_kind, env, message) => {
    expect(refusal(env)).toContain(message);
  });

  it.each<[Record<string, string>, string]>([
    [{ CAMS_OPERATOR_TOKEN: 'short-secret' }, 'CAMS_OPERATOR_TOKEN must be at least 16 characters'],
    [{ CAMS_MASTER_KEY: 'not-a-key-secret' }, 'CAMS_MASTER_KEY must be 32 bytes as 64 hex characters'],
    [{ CAMS_DATABASE_URL: 'pg://u:short-secret@db' }, 'CAMS_DATABASE_URL must be a postgres://'],
    [
      { CAMS_GRAPH_ACCESS_TOKEN: 'EAAG short-secret' },
      'CAMS_GRAPH_ACCESS_TOKEN must be a token without spaces',
    ],
  ])('refuses a bad secret without repeating it: %o', (env, message) => {
    const text = refusal(env);
    expect(text).toContain(message);
    expect(text).toContain('not shown');
    expect(text).not.toContain('short-secret');
    expect(text).not.toContain(Object.values(env)[0]);
  });
});
