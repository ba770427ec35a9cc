import { describe, expect, it } from 'vitest';
import {
  CallbackUrlError,
  checkCallbackUrl,
  redactUrl,
  systemLookup,
  type HostLookup,
} from './callback-url.js';

const STRICT = { allowLoopback: false, allowPrivate: false };
const LOOPBACK_OK = { allowLoopback: true, allowPrivate: false };
const PRIVATE_OK = { allowLoopback: false, allowPrivate: true };

/** No test touches the network: names resolve through this table. */
const fakeDns =
  (table: Record<string, string[]>): HostLookup =>
  async (hostname) => {
    const addresses = table[hostname];
    if (addresses === undefined)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

const dns = fakeDns({
  'hooks.example.com': ['93.184.216.34', '2606:2800:220:1::1'],
  'split.example.com': ['93.184.216.34', '10.1.2.3'],
  'metadata.example.com': ['169.254.169.254'],
  'empty.example.com': [],
});

async function refusal(url: string, policy = STRICT, lookup: HostLookup = dns): Promise<CallbackUrlError> {
  const error = await checkCallbackUrl(url, policy, lookup).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CallbackUrlError);
  return error as CallbackUrlError;
}

describe('checkCallbackUrl', () => {
  it('accepts public http and https URLs, by name (all records public) or by literal', async () => {
    await checkCallbackUrl('https://hooks.example.com/cams?token=x', STRICT, dns);
    await checkCallbackUrl('http://93.184.216.34:8080/hook', STRICT, dns);
    await checkCallbackUrl('https://[2606:2800:220:1::1]/hook', STRICT, dns);
  });

  it('refuses loopback by default and allows it with allowLoopback', async () => {
    const error = await refusal('http://127.0.0.1:8080/hook');
    expect(error.problem).toBe('forbidden-address');
    expect(error.category).toBe('loopback');
    expect(error.message).toMatch(/127\.0\.0\.1 is a loopback address .*allowLoopback/);
    await checkCallbackUrl('http://127.0.0.1:8080/hook', LOOPBACK_OK, dns);
    await checkCallbackUrl('http://[::1]:8080/hook', LOOPBACK_OK, dns);
  });

  it('refuses a host name that resolves to loopback (localhost, real resolver) unless allowed', async () => {
    const error = await refusal('http://localhost:9/hook', STRICT, systemLookup);
    expect(error.message).toMatch(/localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
    await checkCallbackUrl('http://localhost:9/hook', LOOPBACK_OK);
  });

  it.each([
    ['http://10.0.0.1/hook', 'private', /10\.0\.0\.1 is a private address/],
    ['http://172.16.5.4/hook', 'private', /private address/],
    ['http://192.168.0.10/hook', 'private', /private address/],
    ['http://[fd00::1]/hook', 'private', /fd00::1 is a private address/],
    ['http://[::ffff:10.0.0.1]/hook', 'private', /private address/],
    ['http://100.64.0.1/hook', 'shared', /carrier-grade NAT/],
    ['http://169.254.169.254/latest/meta-data/', 'link-local', /link-local address .*metadata/],
    ['http://[fe80::1]/hook', 'link-local', /link-local/],
    ['http://[::1]/hook', 'loopback', /::1 is a loopback address/],
    ['http://[::ffff:127.0.0.1]/hook', 'loopback', /loopback/],
    ['http://2130706433/hook', 'loopback', /127\.0\.0\.1 is a loopback/],
    ['http://0.0.0.0/hook', 'unspecified', /unspecified/],
    ['http://224.0.0.1/hook', 'multicast', /multicast/],
    [
      'http://metadata.example.com/hook',
      'link-local',
      /metadata\.example\.com resolves to 169\.254\.169\.254/,
    ],
    ['http://split.example.com/hook', 'private', /split\.example\.com resolves to 10\.1\.2\.3/],
  ])('refuses %s (%s)', async (url, category, message) => {
    const error = await refusal(url);
    expect(error.category).toBe(category);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/publicly reachable/);
  });

  it('allows private and carrier-grade NAT addresses with allowPrivate, never link-local', async () => {
    await checkCallbackUrl('http://10.0.0.1/hook', PRIVATE_OK, dns);
    await checkCallbackUrl('http://100.64.0.1/hook', PRIVATE_OK, dns);
    await refusal('http://169.254.169.254/', { allowLoopback: true, allowPrivate: true });
    await refusal('http://127.0.0.1/', PRIVATE_OK);
  });

  it('refuses credentials without echoing them', async () => {
    const error = await refusal('http://user:pass@hooks.example.com/hook');
    expect(error.problem).toBe('credentials');
    expect(error.message).toMatch(/contains a user name or password/);
    expect(error.message).not.toMatch(/pass@|user:/);
  });

  it.each([
    ['ftp://hooks.example.com/file', 'scheme', /uses ftp; only http and https are supported/],
    ['file:///etc/passwd', 'scheme', /uses file; only http and https/],
    ['javascript:alert(1)', 'scheme', /only http and https/],
    ['not a url', 'invalid', /not an absolute URL/],
    ['/relative/path', 'invalid', /not an absolute URL/],
    [`https://hooks.example.com/${'a'.repeat(2100)}`, 'invalid', /longer than 2048/],
    [
      'https://nowhere.example.com/hook',
      'unresolvable',
      /nowhere\.example\.com does not resolve \(ENOTFOUND\)/,
    ],
    ['https://empty.example.com/hook', 'unresolvable', /has no addresses/],
  ])('refuses %s (%s)', async (url, problem, message) => {
    const error = await refusal(url);
    expect(error.problem).toBe(problem);
    expect(error.message).toMatch(message);
  });

  it('keeps query strings out of messages and logs', async () => {
    const error = await refusal('http://10.0.0.1/hook?token=secret123');
    expect(error.message).not.toContain('secret123');
    expect(redactUrl('https://h.example.com:8443/a/b?token=s')).toBe('https://h.example.com:8443/a/b?…');
  });
});
