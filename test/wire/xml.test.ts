/**
 * XML answers of V1 requests (Format=XML, or no Format: Alibaba's default). No official Node client asks
 * for XML, so these requests are signed by hand with the published V1 algorithm.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Credentials, type TestServer } from '../support/server.js';
import { addParams, phoneRows, phoneSequence, ramUser, signedV1, unlimited, UUID } from './helpers.js';

let s: TestServer;
const phone = phoneSequence(600);
beforeAll(async () => {
  s = await startServer({}, { limiter: unlimited });
});
afterAll(() => s.close());

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** The text of the first `<name>` element, or undefined. */
function element(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml)?.[1];
}

/** Asserts the document is the declaration then exactly one `<root>` element, and returns its content. */
function document(xml: string, root: string): string {
  expect(xml.startsWith(DECLARATION)).toBe(true);
  const rest = xml.slice(DECLARATION.length);
  const m = new RegExp(`^<${root}>([\\s\\S]*)</${root}>$`).exec(rest);
  expect(m, `expected a single <${root}> element, got ${rest.slice(0, 200)}`).not.toBeNull();
  return m![1]!;
}

async function xmlAnswer(
  common: Record<string, string | undefined>,
  business: Record<string, string>,
  creds: Credentials = s.root,
) {
  const { url, init } = signedV1(s, creds, 'AddChatappPhoneNumber', business, common);
  const res = await fetch(url, init);
  return { res, text: await res.text() };
}

describe('XML', () => {
  it.each([
    ['Format=XML', { Format: 'XML' }],
    ['Format=xml', { Format: 'xml' }],
    ['no Format (the default is XML)', { Format: undefined }],
  ])('success with %s: text/xml;charset=utf-8, <AddChatappPhoneNumberResponse>', async (_name, common) => {
    const number = phone();
    const { res, text } = await xmlAnswer(common, addParams(s.root.custSpaceId, number));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/xml;charset=utf-8');
    const inner = document(text, 'AddChatappPhoneNumberResponse');
    expect(element(inner, 'RequestId')).toMatch(UUID);
    expect(element(inner, 'Code')).toBe('OK');
    expect(element(inner, 'Success')).toBe('true');
    expect(element(inner, 'AccessDeniedDetail')).toBe('None');
    expect(res.headers.get('x-acs-request-id')).toBe(element(inner, 'RequestId'));
    expect((await phoneRows(s)).map((r) => r.e164)).toContain(`86${number}`);
  });

  it.each([
    ['Format=XML', { Format: 'XML' }],
    ['no Format', { Format: undefined }],
  ])('error with %s: <Error> with Code, Message, RequestId, HostId', async (_name, common) => {
    const before = await phoneRows(s);
    const business = addParams(s.root.custSpaceId, phone());
    delete business.PhoneNumber;
    const { res, text } = await xmlAnswer(common, business);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('text/xml;charset=utf-8');
    const inner = document(text, 'Error');
    expect(element(inner, 'Code')).toBe('MissingPhoneNumber');
    expect(element(inner, 'Message')).toBe('PhoneNumber is mandatory for this action.');
    expect(element(inner, 'RequestId')).toMatch(UUID);
    expect(element(inner, 'HostId')).toBe('127.0.0.1');
    expect(res.headers.get('x-acs-request-id')).toBe(element(inner, 'RequestId'));
    expect(await phoneRows(s)).toEqual(before);
  });

  it('an authentication error of an XML request is XML too', async () => {
    const { res, text } = await xmlAnswer({ Format: 'XML' }, addParams(s.root.custSpaceId, phone()), {
      accessKeyId: s.root.accessKeyId,
      accessKeySecret: 'not-the-secret-000000',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('text/xml;charset=utf-8');
    expect(element(document(text, 'Error'), 'Code')).toBe('SignatureDoesNotMatch');
  });

  it('a RAM denial in XML nests AccessDeniedDetail', async () => {
    const user = await ramUser(s, s.root.accountId, 'xmlnopolicies', []);
    const { res, text } = await xmlAnswer({ Format: 'XML' }, addParams(s.root.custSpaceId, phone()), user);
    expect(res.status).toBe(400);
    const inner = document(text, 'Error');
    expect(element(inner, 'Code')).toBe('Ram.PermissionDeny');
    const detail = element(inner, 'AccessDeniedDetail') ?? '';
    expect(element(detail, 'AuthAction')).toBe('cams:AddChatappPhoneNumber');
    expect(element(detail, 'NoPermissionType')).toBe('ImplicitDeny');
    expect(element(detail, 'AuthPrincipalOwnerId')).toBe(s.root.accountId);
  });

  it('parameter values echoed in a message are escaped', async () => {
    const business = { ...addParams(s.root.custSpaceId, phone()), Cc: '<a&b>' };
    const { res, text } = await xmlAnswer({ Format: 'XML' }, business);
    expect(res.status).toBe(400);
    const inner = document(text, 'Error');
    expect(element(inner, 'Code')).toBe('InvalidParameter');
    expect(element(inner, 'Message')).toContain('&lt;a&amp;b&gt;');
    expect(text).not.toContain('<a&b>');
  });

  it('Format=JSON answers JSON and Format=YAML is refused with InvalidParameter.Format', async () => {
    const json = await xmlAnswer({ Format: 'JSON' }, addParams(s.root.custSpaceId, phone()));
    expect(json.res.headers.get('content-type')).toBe('application/json;charset=utf-8');
    expect(JSON.parse(json.text)).toMatchObject({ Code: 'OK' });
    const yaml = await xmlAnswer({ Format: 'YAML' }, addParams(s.root.custSpaceId, phone()));
    expect(yaml.res.status).toBe(400);
    expect(yaml.text).toContain('InvalidParameter.Format');
  });
});
