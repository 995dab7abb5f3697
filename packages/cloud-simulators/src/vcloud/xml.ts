import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * vCD's XML: documents in the vCloud namespace with the OVF, CIM (vssd, rasd), VMware OVF and
 * extension namespaces declared on the root, as vCD declares them on every answer. Answers are
 * written with a small builder that escapes every attribute value and text (names, descriptions,
 * metadata and customization scripts come from clients); requests are read with fast-xml-parser,
 * prefixes dropped, so that `<ovf:Info>` and `<Info xmlns="…ovf">` read alike.
 */

export const NS = Object.freeze({
  vcloud: 'http://www.vmware.com/vcloud/v1.5',
  ovf: 'http://schemas.dmtf.org/ovf/envelope/1',
  vssd: 'http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData',
  common: 'http://schemas.dmtf.org/wbem/wscim/1/common',
  rasd: 'http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData',
  vmw: 'http://www.vmware.com/schema/ovf',
  ovfenv: 'http://schemas.dmtf.org/ovf/environment/1',
  vmext: 'http://www.vmware.com/vcloud/extension/v1.5',
  versions: 'http://www.vmware.com/vcloud/versions',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
});

/** The namespace declarations vCD puts on the root element of every document it answers. */
export const ROOT_NAMESPACES: Attrs = Object.freeze({
  xmlns: NS.vcloud,
  'xmlns:ovf': NS.ovf,
  'xmlns:vssd': NS.vssd,
  'xmlns:common': NS.common,
  'xmlns:rasd': NS.rasd,
  'xmlns:vmw': NS.vmw,
  'xmlns:ovfenv': NS.ovfenv,
  'xmlns:vmext': NS.vmext,
  'xmlns:ns9': NS.versions,
});

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

/** Attribute values; undefined leaves the attribute out. */
export type Attrs = Readonly<Record<string, string | number | boolean | undefined>>;

/** Markup already written: a builder's result, inserted as is. */
export class Markup {
  readonly xml: string;
  constructor(xml: string) {
    this.xml = xml;
  }
  toString(): string {
    return this.xml;
  }
}

/** A child: markup, text (escaped), or nothing (undefined, null, false); arrays are flattened. */
export type Child = Markup | string | number | boolean | undefined | null | readonly Child[];

/**
 * Characters XML 1.0 cannot carry at all, not even as references (C0 controls but tab, newline and
 * carriage return, lone surrogates, U+FFFE and U+FFFF), replaced by U+FFFD so that no client input
 * can make an answer unparseable.
 */
function xmlChars(value: string): string {
  // Printable ASCII, the usual case, needs no look at each character.
  if (/^[ -~]*$/.test(value)) return value;
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    const allowed =
      code === 0x9 ||
      code === 0xa ||
      code === 0xd ||
      (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) ||
      code >= 0x10000;
    out += allowed ? char : '\uFFFD';
  }
  return out;
}

export function escapeText(value: string): string {
  return xmlChars(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

/** Attribute values also keep their tabs and line breaks, which a parser would otherwise normalise away. */
export function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

function attributes(attrs: Attrs): string {
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    out += ` ${name}="${escapeAttribute(String(value))}"`;
  }
  return out;
}

function children(items: readonly Child[]): string {
  let out = '';
  for (const item of items) {
    if (item === undefined || item === null || item === false) continue;
    if (item instanceof Markup) out += item.xml;
    else if (Array.isArray(item)) out += children(item);
    else out += escapeText(String(item));
  }
  return out;
}

/** `<name attrs>children</name>`, or `<name attrs/>` when it has no children. */
export function el(name: string, attrs: Attrs = {}, ...content: Child[]): Markup {
  const inner = children(content);
  return new Markup(
    inner === '' ? `<${name}${attributes(attrs)}/>` : `<${name}${attributes(attrs)}>${inner}</${name}>`,
  );
}

/** An element holding only text, written even when the text is empty (`<Description/>`). */
export function textEl(
  name: string,
  value: string | number | boolean | undefined,
  attrs: Attrs = {},
): Markup {
  return el(name, attrs, value === undefined ? undefined : String(value));
}

export function xmlDocument(root: Markup): string {
  return `${XML_DECLARATION}\n${root.xml}`;
}

// --- reading requests ---------------------------------------------------------------------------

/** A parsed element: attributes as `@_name`, children by local name, text as `#text`. */
export type XmlNode = { readonly [key: string]: unknown };

/** Elements that may repeat in what clients send: always arrays, even of one. */
const REPEATED = new Set([
  'SourcedItem',
  'NetworkConfig',
  'NetworkConnection',
  'Item',
  'MetadataEntry',
  'Link',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  // Customization scripts keep their whitespace; whitespace between elements lands in #text.
  trimValues: false,
  // Numeric character references (&#233;) are decoded, in the right order with &amp;.
  htmlEntities: true,
  isArray: (name) => REPEATED.has(name),
});

export class XmlBodyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlBodyError';
  }
}

/** The root element of a request body, by local name, or an XmlBodyError saying why it is not XML. */
export function parseXmlBody(body: string): { readonly name: string; readonly node: XmlNode } {
  if (body.trim() === '') throw new XmlBodyError('The request has no body.');
  // vCD refuses document type declarations; reading one could expand entities without end.
  if (/<!DOCTYPE/i.test(body)) throw new XmlBodyError('DOCTYPE is disallowed.');
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    throw new XmlBodyError(`${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  }
  const parsed = parser.parse(body) as Record<string, unknown>;
  const roots = Object.keys(parsed).filter((key) => !key.startsWith('?') && key !== '#text');
  const [name] = roots;
  if (roots.length !== 1 || name === undefined) throw new XmlBodyError('The document has no root element.');
  const node = parsed[name];
  return { name, node: isNode(node) ? node : { '#text': node ?? '' } };
}

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first child element with this local name, as a node (text-only elements become { '#text' }). */
export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  const value = node?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return isNode(first) ? first : { '#text': first };
}

/** Every child element with this local name. */
export function childList(node: XmlNode | undefined, name: string): XmlNode[] {
  const value = node?.[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((item) => (isNode(item) ? item : { '#text': item }));
}

/** The text of a child element (its own text when `name` is omitted); undefined when absent. */
export function textOf(node: XmlNode | undefined, name?: string): string | undefined {
  const target = name === undefined ? node : child(node, name);
  if (target === undefined) return undefined;
  const text = target['#text'];
  if (text === undefined) return Object.keys(target).some((key) => !key.startsWith('@_')) ? undefined : '';
  return String(text);
}

export function attrOf(node: XmlNode | undefined, name: string): string | undefined {
  const value = node?.[`@_${name}`];
  return value === undefined ? undefined : String(value);
}

/** xs:boolean: true/1 or false/0, surrounding blanks allowed; undefined when absent or not one. */
export function booleanOf(value: string | undefined): boolean | undefined {
  const text = value?.trim().toLowerCase();
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  return undefined;
}
