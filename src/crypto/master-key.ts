import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors/index.js';

/** The key file's name in the data directory. */
export const KEY_FILE = 'master.key';

/** Decode a 32-byte key given as 64 hex characters or base64. */
export function decodeMasterKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new ConfigError(
      'CAMS_MASTER_KEY must be 32 bytes, as 64 hex characters or base64 (openssl rand -base64 32)',
    );
  }
  return key;
}

/**
 * The master key: from the environment when given, otherwise from `master.key` in the data directory, created
 * with mode 0600 on first start (architecture.md, "Storage and durability"). A key file readable by others is
 * refused.
 */
export function loadMasterKey(fromEnv: string | undefined, dataDir: string): Buffer {
  if (fromEnv !== undefined) return decodeMasterKey(fromEnv);
  const file = path.join(dataDir, KEY_FILE);
  if (existsSync(file)) {
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new ConfigError(
        `${file} must be readable by its owner only (chmod 600 ${file}); its mode is ${mode.toString(8)}`,
      );
    }
    return decodeMasterKey(readFileSync(file, 'utf8'));
  }
  const key = randomBytes(32);
  // 'wx' fails if another process created the file in between; mode applies at creation.
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, `${key.toString('base64')}\n`);
  } finally {
    closeSync(fd);
  }
  return key;
}
