import path from 'node:path';

/** One validated, frozen configuration object, read from the environment (and CLI flags). */
export interface Config {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** SQLite file path. */
  readonly databaseFile: string;
  /** Base64 (or 64 hex chars) 32-byte master key; when absent a key file is used in the data directory. */
  readonly masterKey: string | undefined;
  readonly logLevel: string;
  readonly maxBodyBytes: number;
  /** Trust X-Forwarded-For / X-Forwarded-Proto for acs:SourceIp and acs:SecureTransport. */
  readonly trustProxy: boolean;
  /** Seed of the embedded WhatsApp simulator's deterministic IDs. */
  readonly simulatorSeed: string;
  readonly demo: DemoConfig;
}

/** Fixed demo credentials for CI users; any field left empty is generated on first start. */
export interface DemoConfig {
  readonly enabled: boolean;
  readonly accountId: string | undefined;
  readonly accessKeyId: string | undefined;
  readonly accessKeySecret: string | undefined;
  readonly custSpaceId: string | undefined;
}

export class ConfigError extends Error {}

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

function optional(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw === '' ? undefined : raw;
}

export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const dataDir = path.resolve(overrides.dataDir ?? env.CAMS_DATA_DIR ?? 'data');
  const config: Config = {
    host: env.CAMS_HOST ?? '127.0.0.1',
    port: integer(env, 'CAMS_PORT', 8080, 0, 65535),
    dataDir,
    databaseFile: path.resolve(dataDir, env.CAMS_SQLITE_FILE ?? 'cams.sqlite'),
    masterKey: optional(env, 'CAMS_MASTER_KEY'),
    logLevel: env.CAMS_LOG_LEVEL ?? 'info',
    maxBodyBytes: integer(env, 'CAMS_MAX_BODY_BYTES', 64 * 1024, 1024, 16 * 1024 * 1024),
    trustProxy: flag(env, 'CAMS_TRUST_PROXY', false),
    simulatorSeed: env.CAMS_SIMULATOR_SEED ?? 'cams-simulator',
    demo: {
      enabled: flag(env, 'CAMS_DEMO', true),
      accountId: optional(env, 'CAMS_DEMO_ACCOUNT_ID'),
      accessKeyId: optional(env, 'CAMS_DEMO_ACCESS_KEY_ID'),
      accessKeySecret: optional(env, 'CAMS_DEMO_ACCESS_KEY_SECRET'),
      custSpaceId: optional(env, 'CAMS_DEMO_CUST_SPACE_ID'),
    },
    ...overrides,
  };
  if (config.demo.accountId !== undefined && !/^[1-9]\d{15}$/.test(config.demo.accountId)) {
    throw new ConfigError('CAMS_DEMO_ACCOUNT_ID must be a 16-digit account UID');
  }
  if ((config.demo.accessKeyId === undefined) !== (config.demo.accessKeySecret === undefined)) {
    throw new ConfigError('CAMS_DEMO_ACCESS_KEY_ID and CAMS_DEMO_ACCESS_KEY_SECRET must be given together');
  }
  return Object.freeze(config);
}
