/**
 * A strict well-formedness check of the XML this server writes: the declaration, then one element tree of
 * attribute-less elements and text, every character in XML 1.0's Char production (also through character
 * references) and every `&` a known entity or a character reference. Deliberately stricter than the SDK's
 * lenient parser, which lets U+FFFF through.
 */

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** XML 1.0 (w3.org/TR/xml, "Characters") Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. */
const ALL_CHARS = /^(?:[\t\n\r\u0020-\uD7FF\uE000-\uFFFD]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;
const TOKEN =
  /<\/?([A-Za-z_][A-Za-z0-9_.-]*)>|[^<&]+|&(amp|lt|gt|quot|apos);|&#([0-9]+);|&#x([0-9A-Fa-f]+);/y;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

export interface XmlNode {
  name: string;
  /** Decoded text of a leaf element (references resolved). */
  text: string;
  children: XmlNode[];
}

/** Parses `xml`, or throws an Error saying where and why it is not well-formed. */
export function parseWellFormed(xml: string): XmlNode {
  if (!ALL_CHARS.test(xml)) {
    const at = [...xml].findIndex((c) => !isChar(c.codePointAt(0)!) || /^[\uD800-\uDFFF]$/.test(c));
    throw new Error(`character outside XML's Char production at code point ${at}`);
  }
  if (!xml.startsWith(DECLARATION)) throw new Error('no XML declaration');
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  TOKEN.lastIndex = DECLARATION.length;
  while (TOKEN.lastIndex < xml.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(xml);
    if (m === null) throw new Error(`malformed markup at ${at}: ${JSON.stringify(xml.slice(at, at + 20))}`);
    const top = stack[stack.length - 1];
    if (m[1] !== undefined) {
      if (m[0].startsWith('</')) {
        if (top?.name !== m[1]) throw new Error(`</${m[1]}> closes <${top?.name ?? 'nothing'}> at ${at}`);
        stack.pop();
      } else {
        if (top === undefined && root !== undefined) throw new Error(`a second root element at ${at}`);
        const node: XmlNode = { name: m[1], text: '', children: [] };
        if (top === undefined) root = node;
        else top.children.push(node);
        stack.push(node);
      }
      continue;
    }
    if (top === undefined) throw new Error(`text outside the root element at ${at}`);
    if (m[2] !== undefined) top.text += ENTITIES[m[2]]!;
    else if (m[3] !== undefined || m[4] !== undefined) {
      const code = m[3] !== undefined ? Number(m[3]) : parseInt(m[4]!, 16);
      if (!isChar(code)) throw new Error(`reference to a non-character ${m[0]} at ${at}`);
      top.text += String.fromCodePoint(code);
    } else top.text += m[0].replace(/\r\n?/g, '\n'); // XML 1.0 "End-of-Line Handling"
  }
  if (root === undefined || stack.length > 0) throw new Error('unclosed or missing root element');
  return root;
}

/** The decoded text of the first child named `name` of `node`, or undefined. */
export function childText(node: XmlNode, name: string): string | undefined {
  return node.children.find((c) => c.name === name)?.text;
}
