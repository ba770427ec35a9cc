/**
 * The AccessKey pair the explorer signs with: kept in this tab's sessionStorage only (gone when the tab
 * closes, never shared with other tabs), and never sent: the secret only keys the HMAC
 * (web/shared/sign-v3.ts).
 */
export interface Credentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
}

const ID = 'cams.explorer.accessKeyId';
const SECRET = 'cams.explorer.accessKeySecret';

export function loadCredentials(): Credentials {
  return {
    accessKeyId: sessionStorage.getItem(ID) ?? '',
    accessKeySecret: sessionStorage.getItem(SECRET) ?? '',
  };
}

export function saveCredentials(c: Credentials): void {
  sessionStorage.setItem(ID, c.accessKeyId);
  sessionStorage.setItem(SECRET, c.accessKeySecret);
}

export function forgetCredentials(): void {
  sessionStorage.removeItem(ID);
  sessionStorage.removeItem(SECRET);
}

export interface DemoKey extends Credentials {
  readonly custSpaceId: string;
}

/**
 * The demo account's key, which the server offers only to a browser on its own machine when it runs
 * the embedded demo on loopback (src/web/explorer/demo-key.ts); undefined anywhere else.
 */
export async function fetchDemoKey(): Promise<DemoKey | undefined> {
  try {
    const res = await fetch('/explorer/api/demo-key', { cache: 'no-store' });
    if (res.status !== 200) return undefined;
    return (await res.json()) as DemoKey;
  } catch {
    return undefined;
  }
}
