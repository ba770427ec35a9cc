import { describe, expect, it } from 'vitest';
import { ipInCidr, parseCidr, parseIp } from './ip-address.js';

function inCidr(ip: string, cidr: string): boolean {
  const address = parseIp(ip);
  const block = parseCidr(cidr);
  if (!address || !block) throw new Error(`bad test input ${ip} ${cidr}`);
  return ipInCidr(address, block);
}

describe('IP addresses and CIDR blocks', () => {
  it.each([
    ['10.1.2.3', '10.0.0.0/8', true],
    ['11.1.2.3', '10.0.0.0/8', false],
    ['10.1.2.3', '0.0.0.0/0', true],
    ['192.168.1.130', '192.168.1.128/25', true],
    ['192.168.1.127', '192.168.1.128/25', false],
    ['192.168.1.1', '192.168.1.1', true],
    ['192.168.1.6', '192.168.1.5/30', true],
    ['192.168.1.1', '192.168.1.5/30', false],
    ['2001:db8::1', '2001:db8::/32', true],
    ['2001:db8:ffff:ffff::1', '2001:db8::/33', false],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1/128', true],
    ['fe80::1%eth0', 'fe80::/10', true],
    ['::1', '::1/128', true],
    ['::ffff:10.1.2.3', '10.0.0.0/8', true],
    ['::FFFF:a01:203', '10.0.0.0/8', true],
    ['::ffff:11.1.2.3', '10.0.0.0/8', false],
    ['10.1.2.3', '::ffff:10.0.0.0/104', true],
    ['::10.1.2.3', '10.0.0.0/8', false],
    ['2001:db8::1', '0.0.0.0/0', false],
    // An IPv4 address is the same address as its mapped form, which ::/0 contains.
    ['10.1.2.3', '::/0', true],
    ['10.1.2.3', '2001:db8::/32', false],
  ])('%s in %s is %s', (ip, cidr, expected) => {
    expect(inCidr(ip, cidr)).toBe(expected);
  });

  it.each([
    '10.0.0.300',
    '10.0.0.0/33',
    '10.0.0.0/',
    '10.0.0.0/08',
    '10.0.0.0/-1',
    '2001:db8::/129',
    'fe80::1%eth0/64',
    'x',
    '',
  ])('rejects %j as a CIDR', (text) => expect(parseCidr(text)).toBeUndefined());

  it('expands IPv6 forms to 16 bytes', () => {
    expect(Array.from(parseIp('1:2::7:8') ?? [])).toEqual([0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 8]);
    expect(Array.from(parseIp('::ffff:1.2.3.4') ?? []).slice(10)).toEqual([255, 255, 1, 2, 3, 4]);
    expect(Array.from(parseIp('1::') ?? [])).toEqual([0, 1, ...Array<number>(14).fill(0)]);
  });
});
