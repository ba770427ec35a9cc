/**
 * Fuzz: whatever text a client sends, every XML answer is well-formed (XML 1.0's Char production, checked
 * strictly by test/support/well-formed-xml.ts), and a VerifiedName with a control character, a
 * non-character or a lone surrogate is refused with InvalidParameter before anything is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server.js';
import { childText, parseWellFormed, type XmlNode } from '../support/well-formed-xml.js';
import { unacceptableText } from '../../src/domain/text.js';
import { addParams, phoneRows, phoneSequence, signedV1, unlimited } from './helpers.js';

let s: TestServer;
const phone = phoneSequence(700);
beforeAll(async () => {
  s = await startServer({}, { limiter: unlimited });
});
afterAll(() => s.close());

/** mulberry32: a small seeded PRNG, so a failure replays exactly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const range = (from: number, to: number) => (r: () => number) =>
  String.fromCharCode(from + Math.floor(r() * (to - from + 1)));
const CLASSES: Array<(r: () => number) => string> = [
  range(0x20, 0x7e), // printable ASCII
  range(0x20, 0x7e),
  (r) => '&<>"\''[Math.floor(r() * 5)]!, // markup
  (r) => '\t\n\r'[Math.floor(r() * 3)]!,
  range(0x00, 0x1f), // C0 controls
  (r) => (r() < 0.5 ? '\u007f' : range(0x80, 0x9f)(r)), // DEL, C1
  (r) => (r() < 0.5 ? '\uFFFE' : '\uFFFF'),
  range(0xfdd0, 0xfdef), // non-characters
  range(0xd800, 0xdfff), // a lone surrogate (the wire carries it as U+FFFD)
  range(0x4e00, 0x9fff), // CJK
  (r) => String.fromCodePoint(0x10000 + Math.floor(r() * 0xfffd)), // astral, a surrogate pair
  () => '\uFFFD',
];

/** A random string of 1 to 12 characters; `plain` is the share of printable ASCII, to reach valid names. */
function randomText(r: () => number, plain: number): string {
  let out = '';
  const n = 1 + Math.floor(r() * 12);
  for (let i = 0; i < n; i++)
    out += (r() < plain ? CLASSES[0]! : CLASSES[Math.floor(r() * CLASSES.length)]!)(r);
  return out;
}

/** What a UTF-8 wire carries of `text`: a lone surrogate cannot be encoded and becomes U+FFFD. */
const onTheWire = (text: string) =>
  text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

async function xml(action: string, business: Record<string, string>, common: Record<string, string> = {}) {
  const { url, init } = signedV1(s, s.root, action, business, { Format: 'XML', ...common });
  const res = await fetch(url, init);
  const body = await res.text();
  expect(res.headers.get('content-type')).toBe('text/xml;charset=utf-8');
  let root: XmlNode;
  try {
    root = parseWellFormed(body);
  } catch (err) {
    throw new Error(`${(err as Error).message} in ${JSON.stringify(body)}`);
  }
  return { status: res.status, root };
}

function all(node: XmlNode, name: string): XmlNode[] {
  return [...(node.name === name ? [node] : []), ...node.children.flatMap((c) => all(c, name))];
}

describe('XML well-formedness under random text', () => {
  it('VerifiedName and an undeclared parameter: every answer is well-formed, refused names are not stored', async () => {
    const r = prng(0x5eed1);
    const sent: string[] = [];
    for (let i = 0; i < 150; i++) {
      const name = randomText(r, 0.6);
      const wire = onTheWire(name);
      sent.push(wire);
      const business = {
        ...addParams(s.root.custSpaceId, phone()),
        VerifiedName: name,
        Xyz: randomText(r, 0.3),
      };
      const { status, root } = await xml('AddChatappPhoneNumber', business);
      if (unacceptableText(wire) !== undefined) {
        expect({ status, code: childText(root, 'Code') }, JSON.stringify(name)).toEqual({
          status: 400,
          code: 'InvalidParameter',
        });
        expect(childText(root, 'Message')).toContain('Specified parameter VerifiedName is not valid');
      } else if (status === 200) {
        expect(root.name).toBe('AddChatappPhoneNumberResponse');
      } else {
        expect(childText(root, 'Code')).toBe('InvalidParameter'); // length, line breaks, tabs
      }
    }
    const stored = (await phoneRows(s, s.root.accountId)).map((row) => row.verified_name);
    expect(stored.length).toBeGreaterThan(10); // the seed reaches valid names too
    for (const name of stored) expect(unacceptableText(name), JSON.stringify(name)).toBeUndefined();
    expect(sent.some((name) => unacceptableText(name) !== undefined)).toBe(true);

    // More numbers than a default answer lists (25): one page of up to 100 holds them all.
    const { status, root } = await xml('QueryChatappPhoneNumbers', {
      CustSpaceId: s.root.custSpaceId,
      MaxResults: '100',
    });
    expect(status).toBe(200);
    expect(
      all(root, 'VerifiedName')
        .map((n) => n.text)
        .sort(),
    ).toEqual([...stored].sort());
  });

  it('a parameter echoed in an error message: the answer stays well-formed', async () => {
    const r = prng(0x5eed2);
    for (let i = 0; i < 100; i++) {
      const version = `v${randomText(r, 0.2)}`;
      const { status, root } = await xml('AddChatappPhoneNumber', addParams(s.root.custSpaceId, phone()), {
        Version: version,
      });
      expect(status).toBeGreaterThanOrEqual(400);
      expect(root.name).toBe('Error');
    }
  });

  it('a name stored before this check (U+FFFF, a control character) is answered as U+FFFD, well-formed', async () => {
    const number = phone();
    const { status } = await xml('AddChatappPhoneNumber', addParams(s.root.custSpaceId, number));
    expect(status).toBe(200);
    await s.app.db
      .updateTable('phone_numbers')
      .set({ verified_name: 'Old\uFFFF\u0001<name>' })
      .where('e164', '=', `86${number}`)
      .execute();
    const { root } = await xml('QueryChatappPhoneNumbers', {
      CustSpaceId: s.root.custSpaceId,
      MaxResults: '100',
    });
    expect(all(root, 'VerifiedName').map((n) => n.text)).toContain('Old\uFFFD\uFFFD<name>');
  });

  it('a JSON-escaped non-character in Websites is refused too', async () => {
    const business = {
      CustSpaceId: s.root.custSpaceId,
      PhoneNumber: `86${phone()}`,
      Websites: '["https://example.com/\\uFFFF"]',
    };
    const { status, root } = await xml('ModifyPhoneBusinessProfile', business);
    expect(status).toBe(400);
    expect(childText(root, 'Code')).toBe('InvalidParameter');
    expect(childText(root, 'Message')).toContain('Specified parameter Websites is not valid');
  });
});
