import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, startInstance } from '../scale/processes.js';

/**
 * A newcomer's `cams serve` (demo on, loopback, no CAMS_OPERATOR_TOKEN) makes an operator token for the
 * console and keeps it in an owner-only file; nowhere else does a token appear by itself.
 */
describe('the demo operator token of cams serve', () => {
  let build: ReturnType<typeof buildServer>;
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cams-optoken-'));
    dirs.push(dir);
    return dir;
  };
  beforeAll(() => {
    build = buildServer();
  });
  afterAll(() => {
    build.remove();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const clock = (endpoint: string, token?: string) =>
    fetch(`http://${endpoint}/_admin/clock`, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });

  it('on loopback with the demo: a 0600 file, the operator API opens with it, the logs never show it, and a restart keeps it', async () => {
    const dir = dataDir();
    const env = { CAMS_DATA_DIR: dir, CAMS_DEMO: 'true', CAMS_HOST: '127.0.0.1' };
    const first = await startInstance(build.dir, env);
    const file = path.join(dir, 'operator-token');
    const token = readFileSync(file, 'utf8').trim();
    expect(token.length).toBeGreaterThanOrEqual(40);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await clock(first.endpoint, token)).status).toBe(200);
    expect((await clock(first.endpoint)).status).toBe(401);
    expect((await clock(first.endpoint, `${token}x`)).status).toBe(401);
    expect(first.stdout()).not.toContain(token);
    expect(first.logs.some((l) => l.file === file)).toBe(true);
    await first.signal('SIGTERM');
    const second = await startInstance(build.dir, env);
    expect(readFileSync(file, 'utf8').trim()).toBe(token);
    expect((await clock(second.endpoint, token)).status).toBe(200);
    await second.stop();
  });

  it('makes none when a token is configured, the demo is off, or the server listens beyond loopback', async () => {
    for (const env of [
      {
        CAMS_DEMO: 'true',
        CAMS_HOST: '127.0.0.1',
        CAMS_OPERATOR_TOKEN: 'a-configured-token-of-the-operator',
      },
      { CAMS_DEMO: 'false', CAMS_HOST: '127.0.0.1' },
      { CAMS_DEMO: 'true', CAMS_HOST: '0.0.0.0' },
    ] as Array<Record<string, string>>) {
      const dir = dataDir();
      const instance = await startInstance(build.dir, { CAMS_DATA_DIR: dir, ...env });
      expect(() => statSync(path.join(dir, 'operator-token'))).toThrow();
      const answer = await clock(instance.endpoint.replace('0.0.0.0', '127.0.0.1'));
      expect(answer.status).toBe(env.CAMS_OPERATOR_TOKEN === undefined ? 404 : 401);
      await instance.stop();
    }
  });
});
