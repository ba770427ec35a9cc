import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';

/** Where `cams serve` keeps the demo account's credentials (owner-only, src/cli/bootstrap.ts). */
export const DEMO_CREDENTIALS_FILE = 'demo-credentials.json';

/** The demo key the explorer may prefill; the secret leaves the server only through `demoKeyFor`. */
export interface DemoKey {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly custSpaceId: string;
}

export interface ExplorerDemo {
  /** The data directory holding the demo credentials file. */
  readonly dataDir: string;
  /** Whether the key is still an active key of the server (it may have been disabled or deleted). */
  isActive(accessKeyId: string): Promise<boolean>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/** Whether the server's own configuration allows the demo key near a browser at all. */
export function demoMayBeShown(config: {
  host: string;
  upstream: string;
  demo: { enabled: boolean };
}): boolean {
  return config.demo.enabled && config.upstream === 'simulator' && LOOPBACK_HOSTS.has(config.host);
}

function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** `127.0.0.1:8080`, `localhost:8080`, `[::1]:8080`: a Host a page on this machine would send. */
function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const m = /^(\[::1\]|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost)(:\d{1,5})?$/i.exec(host);
  return m !== null;
}

/**
 * The demo key for this request, or undefined. All must hold (the README explains it under its heading The explorer):
 * - the server was started with the embedded simulator's demo on a loopback address (`demoMayBeShown`,
 *   decided by main.ts: absent otherwise);
 * - the connection comes from loopback and carries no proxy header (a proxy on the same machine would
 *   make every caller look local);
 * - the Host is a loopback name, so a page of another site that rebinds its DNS name to 127.0.0.1
 *   cannot read it as same-origin;
 * - the credentials file exists and its key is still active.
 */
export async function demoKeyFor(
  demo: ExplorerDemo | undefined,
  req: IncomingMessage,
): Promise<DemoKey | undefined> {
  if (demo === undefined || !isLoopbackAddress(req.socket.remoteAddress)) return undefined;
  if (!isLoopbackHost(req.headers.host)) return undefined;
  for (const proxy of ['x-forwarded-for', 'forwarded', 'x-real-ip']) {
    if (req.headers[proxy] !== undefined) return undefined;
  }
  const file = path.join(demo.dataDir, DEMO_CREDENTIALS_FILE);
  if (!existsSync(file)) return undefined;
  let parsed: Partial<DemoKey>;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<DemoKey>;
  } catch {
    return undefined;
  }
  const { accessKeyId, accessKeySecret, custSpaceId } = parsed;
  if (typeof accessKeyId !== 'string' || typeof accessKeySecret !== 'string') return undefined;
  if (!(await demo.isActive(accessKeyId))) return undefined;
  return { accessKeyId, accessKeySecret, custSpaceId: typeof custSpaceId === 'string' ? custSpaceId : '' };
}
