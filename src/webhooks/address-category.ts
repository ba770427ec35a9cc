import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * What kind of network an IP address belongs to, for SSRF protection of callback URLs. Ranges from the
 * IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890) plus multicast (RFC 5771, RFC 4291).
 */
export type AddressCategory =
  'public' | 'loopback' | 'unspecified' | 'private' | 'shared' | 'link-local' | 'multicast' | 'reserved';

type Rule = readonly [network: string, prefix: number];

/** Checked in this order, first match wins: `::1` is loopback although `::/104` is "this network". */
const RANGES: ReadonlyArray<readonly [Exclude<AddressCategory, 'public'>, readonly Rule[], readonly Rule[]]> =
  [
    ['loopback', [['127.0.0.0', 8]], [['::1', 128]]],
    ['unspecified', [['0.0.0.0', 8]], [['::', 128]]],
    [
      'private',
      [
        ['10.0.0.0', 8],
        ['172.16.0.0', 12],
        ['192.168.0.0', 16],
      ],
      [['fc00::', 7]],
    ],
    // RFC 6598 shared address space (carrier-grade NAT): not reachable from the internet either.
    ['shared', [['100.64.0.0', 10]], []],
    // Includes 169.254.169.254, the instance metadata service of most clouds.
    ['link-local', [['169.254.0.0', 16]], [['fe80::', 10]]],
    ['multicast', [['224.0.0.0', 4]], [['ff00::', 8]]],
    [
      'reserved',
      [
        ['192.0.0.0', 24],
        ['192.0.2.0', 24],
        ['198.18.0.0', 15],
        ['198.51.100.0', 24],
        ['203.0.113.0', 24],
        ['240.0.0.0', 4],
      ],
      [
        ['100::', 64],
        ['2001:db8::', 32],
        ['fec0::', 10],
      ],
    ],
  ];

/**
 * IPv6 prefixes that carry an IPv4 address in their last 32 bits and can reach it: IPv4-compatible
 * (`::a.b.c.d`, RFC 4291 §2.5.5.1) and the NAT64 well-known prefix (RFC 6052). IPv4-mapped
 * (`::ffff:a.b.c.d`) needs no entry: BlockList already matches mapped addresses against IPv4 rules.
 */
const EMBEDDING_PREFIXES = ['::', '64:ff9b::'];

const LISTS = RANGES.map(([category, v4, v6]) => {
  const list = new BlockList();
  for (const [network, prefix] of v4) {
    list.addSubnet(network, prefix, 'ipv4');
    for (const embedding of EMBEDDING_PREFIXES) list.addSubnet(`${embedding}${network}`, 96 + prefix, 'ipv6');
  }
  for (const [network, prefix] of v6) list.addSubnet(network, prefix, 'ipv6');
  return [category, list] as const;
});

/** Human-readable descriptions used in error messages. */
export const CATEGORY_DESCRIPTIONS: Readonly<Record<AddressCategory, string>> = {
  public: 'a public address',
  loopback: 'a loopback address (127.0.0.0/8, ::1)',
  unspecified: 'an unspecified address (0.0.0.0/8, ::)',
  private: 'a private address (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7)',
  shared: 'a carrier-grade NAT address (100.64.0.0/10)',
  'link-local': 'a link-local address (169.254.0.0/16 incl. cloud metadata 169.254.169.254, fe80::/10)',
  multicast: 'a multicast address (224.0.0.0/4, ff00::/8)',
  reserved: 'a reserved or documentation address',
};

/** Classifies a literal IPv4 or IPv6 address (an IPv6 zone such as `%eth0` is ignored). */
export function addressCategory(address: string): AddressCategory {
  const bare = address.split('%')[0] ?? '';
  const family = isIPv4(bare) ? 'ipv4' : isIPv6(bare) ? 'ipv6' : undefined;
  if (family === undefined) throw new TypeError(`not an IP address: ${JSON.stringify(address)}`);
  for (const [category, list] of LISTS) if (list.check(bare, family)) return category;
  return 'public';
}
