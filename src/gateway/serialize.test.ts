import { describe, expect, it } from 'vitest';
import { ServiceError } from '../errors/index.js';
import { errorAnswer, escapeXml, successAnswer, type Envelope } from './serialize.js';
import { childText, parseWellFormed } from '../../test/support/well-formed-xml.js';

const XML: Envelope = { requestId: 'R', hostId: 'H', format: 'XML', actionName: 'Test' };

describe('escapeXml', () => {
  it.each([
    ['markup', `<a href="x">&'`, '&lt;a href=&quot;x&quot;&gt;&amp;&apos;'],
    ['tab and LF stay, CR becomes a reference', 'a\tb\nc\rd', 'a\tb\nc&#xD;d'],
    ['C0 controls become U+FFFD', 'a\u0000b\u0008c\u001fd', 'a\uFFFDb\uFFFDc\uFFFDd'],
    ['U+FFFE and U+FFFF become U+FFFD', '\uFFFEx\uFFFF', '\uFFFDx\uFFFD'],
    ['lone surrogates become U+FFFD', '\uD800x\uDC00', '\uFFFDx\uFFFD'],
    ['a surrogate pair stays', 'x\uD83D\uDE00', 'x\uD83D\uDE00'],
    ['allowed but discouraged characters stay', '\u007f\u0085\uFDD0', '\u007f\u0085\uFDD0'],
  ])('%s', (_name, text, escaped) => {
    expect(escapeXml(text)).toBe(escaped);
  });
});

describe('XML answers', () => {
  const hostile = 'Acme\u0001\uFFFF\uFFFE\uD800<&>\r\n\uDC00\u{1F600}';

  it('stay well-formed whatever text a success carries, and keep the text that XML can carry', () => {
    const answer = successAnswer(XML, { Data: { VerifiedName: hostile, List: [hostile, 'b'] } });
    const root = parseWellFormed(answer.body);
    expect(root.name).toBe('TestResponse');
    const data = root.children.find((c) => c.name === 'Data')!;
    expect(childText(data, 'VerifiedName')).toBe('Acme\uFFFD\uFFFD\uFFFD\uFFFD<&>\r\n\uFFFD\u{1F600}');
  });

  it('stay well-formed whatever text an error message echoes', () => {
    const answer = errorAnswer(XML, new ServiceError('InvalidParameter', 400, `got "${hostile}".`));
    const root = parseWellFormed(answer.body);
    expect(root.name).toBe('Error');
    expect(childText(root, 'Message')).toBe('got "Acme\uFFFD\uFFFD\uFFFD\uFFFD<&>\r\n\uFFFD\u{1F600}".');
  });
});
