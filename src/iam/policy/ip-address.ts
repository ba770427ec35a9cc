/**
 * IPv4/IPv6 addresses and CIDR blocks for the IpAddress / NotIpAddress operators
 * (cams-api.md §4.3, key `acs:SourceIp` cams-api.md §4.4).
 */
import { isIPv4, isIPv6 } from 'node:net';

/** Network-order bytes: 4 for IPv4, 16 for IPv6. */
export type IpBytes = Uint8Array;

export interface Cidr {
  bytes: IpBytes;
  prefix: number;
}

function ipv4Bytes(text: string): IpBytes {
  return Uint8Array.from(text.split('.'), (part) => Number(part));
}

/** Expands an address already accepted by `isIPv6` (no zone) into 16 bytes. */
function ipv6Bytes(text: string): IpBytes {
  const bytes = new Uint8Array(16);
  let groups = text;
  let tail: IpBytes | undefined;
  const lastColon = groups.lastIndexOf(':');
  if (groups.includes('.', lastColon)) {
    // Embedded IPv4 tail, e.g. ::ffff:1.2.3.4 (RFC 4291 §2.2 form 3).
    tail = ipv4Bytes(groups.slice(lastColon + 1));
    groups = groups.slice(0, lastColon + 1) + '0:0';
  }
  const [head = '', rest] = groups.split('::');
  const headParts = head === '' ? [] : head.split(':');
  const restParts = rest === undefined || rest === '' ? [] : rest.split(':');
  const words = [
    ...headParts,
    ...Array<string>(8 - headParts.length - restParts.length).fill('0'),
    ...restParts,
  ];
  words.forEach((word, i) => {
    const n = parseInt(word, 16);
    bytes[i * 2] = n >> 8;
    bytes[i * 2 + 1] = n & 0xff;
  });
  if (tail) bytes.set(tail, 12);
  return bytes;
}

/** Parses a literal IPv4 or IPv6 address (an IPv6 zone such as `%eth0` is ignored). */
export function parseIp(text: string): IpBytes | undefined {
  if (isIPv4(text)) return ipv4Bytes(text);
  const zoneless = text.split('%')[0] ?? '';
  if (isIPv6(zoneless)) return ipv6Bytes(zoneless);
  return undefined;
}

/** Parses `a.b.c.d`, `a.b.c.d/n`, an IPv6 address, or `x::y/n`; a bare address is a /32 or /128. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  if (address.includes('%')) return undefined;
  const bytes = parseIp(address);
  if (!bytes) return undefined;
  const max = bytes.length * 8;
  if (slash < 0) return { bytes, prefix: max };
  const prefixText = text.slice(slash + 1);
  if (!/^(0|[1-9]\d{0,2})$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  return prefix <= max ? { bytes, prefix } : undefined;
}

const MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, RFC 4291 §2.5.5.2). */
function unmapIpv4(bytes: IpBytes): IpBytes | undefined {
  if (bytes.length !== 16 || MAPPED_PREFIX.some((b, i) => bytes[i] !== b)) return undefined;
  return bytes.slice(12);
}

function mapIpv4(bytes: IpBytes): IpBytes {
  return Uint8Array.from([...MAPPED_PREFIX, ...bytes]);
}

/**
 * Whether `ip` lies in `cidr`. An IPv4-mapped IPv6 address is the IPv4 address it carries, so
 * `::ffff:10.1.2.3` is inside `10.0.0.0/8`, and `10.1.2.3` is inside `::ffff:10.0.0.0/104` (and `::/0`).
 * A block's host bits are ignored (`10.0.0.5/8` is `10.0.0.0/8`).
 */
export function ipInCidr(ip: IpBytes, cidr: Cidr): boolean {
  let address: IpBytes | undefined = ip;
  if (ip.length !== cidr.bytes.length) address = ip.length === 16 ? unmapIpv4(ip) : mapIpv4(ip);
  if (!address) return false;
  const fullBytes = Math.floor(cidr.prefix / 8);
  for (let i = 0; i < fullBytes; i++) if (address[i] !== cidr.bytes[i]) return false;
  const remainingBits = cidr.prefix % 8;
  if (remainingBits === 0) return true;
  const mask = (0xff << (8 - remainingBits)) & 0xff;
  return ((address[fullBytes] ?? 0) & mask) === ((cidr.bytes[fullBytes] ?? 0) & mask);
}
