import { ConnectorError } from '@slipstream/connector-core';
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * vCloud's XML (namespace http://www.vmware.com/vcloud/v1.5, with ovf:, rasd:, vssd: and vmext:
 * parts) read and written with fast-xml-parser. Namespace prefixes are dropped when reading, so
 * `<ovf:Info>` and `<Info>` read the same; attributes are read as text, like element values.
 */

export const VCLOUD_NAMESPACE = 'http://www.vmware.com/vcloud/v1.5';
export const OVF_NAMESPACE = 'http://schemas.dmtf.org/ovf/envelope/1';

/** Elements that repeat in the documents read here: always arrays. */
const REPEATED = new Set([
  'Link',
  'VMRecord',
  'VAppTemplateRecord',
  'OrgVdcRecord',
  'VAppRecord',
  'OrgVdcNetworkRecord',
  'Vm',
  'Task',
  'NetworkConnection',
  'MetadataEntry',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  htmlEntities: true,
  isArray: (name) => REPEATED.has(name),
});

export type XmlElement = Record<string, unknown>;

export const isElement = (value: unknown): value is XmlElement =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The root element of a document, by name; undefined when the document is another or no XML. */
export function rootOf(body: string, name: string): XmlElement | undefined {
  let parsed: unknown;
  try {
    parsed = parser.parse(body);
  } catch {
    return undefined;
  }
  const root = isElement(parsed) ? parsed[name] : undefined;
  if (Array.isArray(root)) return isElement(root[0]) ? root[0] : undefined;
  return isElement(root) ? root : root === '' ? {} : undefined;
}

/**
 * The root element of a document that must be `name`; CLOUD_ERROR naming the call otherwise. The
 * document must be well-formed: the parser reads a body cut short without complaint, and a query
 * page cut short would silently lose VMs. The quick structural check below accepts what vCloud
 * writes; only a document it does not accept goes through the full validator, which says what is
 * wrong (validating every page in full costs two thirds of parsing it).
 */
export function documentOf(body: string, name: string, what: string): XmlElement {
  const valid = tagsBalance(body) || XMLValidator.validate(body);
  if (valid !== true) {
    throw new ConnectorError(
      'CLOUD_ERROR',
      `vCloud Director answered ${what} with a body that is not well-formed XML (${valid.err.msg.replace(/\.$/, '')} at line ${valid.err.line}).`,
    );
  }
  const root = rootOf(body, name);
  if (root === undefined) {
    throw new ConnectorError(
      'CLOUD_ERROR',
      `vCloud Director answered ${what} with something that is not a <${name}> document: ${body.trim().slice(0, 120) || 'an empty body'}.`,
    );
  }
  return root;
}

const XML_NAME = '[A-Za-z_][\\w.:-]*';
/** A start tag with its attributes, each value quoted and without `<`; `/>` when it is empty. */
const START_TAG = new RegExp(
  `<(${XML_NAME})(?:\\s+${XML_NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*\\s*(/?)>`,
  'y',
);
const END_TAG = new RegExp(`</(${XML_NAME})\\s*>`, 'y');
const BLANK = /^\s*$/;

/**
 * Whether a document is one element whose tags all close in order, with only a declaration,
 * comments and blanks around it: true for what vCloud writes, false for a body cut short or
 * garbled. A false answer is not a verdict (the check does not know every XML construct, e.g.
 * DOCTYPE): the caller then asks the full validator. One pass of a few regular expressions.
 */
export function tagsBalance(body: string): boolean {
  const open: string[] = [];
  let roots = 0;
  let index = body.indexOf('<');
  if (index === -1 || !BLANK.test(body.slice(0, index))) return false;
  while (index !== -1) {
    let end: number;
    if (body.charCodeAt(index + 1) === 47 /* </ */) {
      END_TAG.lastIndex = index;
      const match = END_TAG.exec(body);
      if (match === null || open.pop() !== match[1]) return false;
      end = END_TAG.lastIndex;
    } else if (body.startsWith('<?', index)) {
      if (open.length > 0 || roots > 0) return false;
      const close = body.indexOf('?>', index + 2);
      if (close === -1) return false;
      end = close + 2;
    } else if (body.startsWith('<!--', index)) {
      const close = body.indexOf('-->', index + 4);
      if (close === -1) return false;
      end = close + 3;
    } else if (body.startsWith('<![CDATA[', index) && open.length > 0) {
      const close = body.indexOf(']]>', index + 9);
      if (close === -1) return false;
      end = close + 3;
    } else {
      START_TAG.lastIndex = index;
      const match = START_TAG.exec(body);
      if (match === null) return false;
      if (open.length === 0 && ++roots > 1) return false;
      if (match[2] !== '/') open.push(match[1] as string);
      end = START_TAG.lastIndex;
    }
    index = body.indexOf('<', end);
    // Outside the root element there may be nothing but blanks.
    if (open.length === 0 && !BLANK.test(body.slice(end, index === -1 ? body.length : index))) return false;
  }
  return roots === 1 && open.length === 0;
}

/** The elements of `key` (repeated or not) of an element. */
export function children(element: XmlElement | undefined, key: string): XmlElement[] {
  const value = element?.[key];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter(isElement);
}

/** The text of an attribute or a simple element. */
export function text(element: XmlElement | undefined, key: string): string | undefined {
  const value = element?.[key];
  if (typeof value === 'string') return value;
  if (isElement(value) && typeof value['#text'] === 'string') return value['#text'];
  return undefined;
}

/** The href of the first `<Link rel="…">`. */
export function linkHref(element: XmlElement | undefined, rel: string): string | undefined {
  return text(
    children(element, 'Link').find((link) => link.rel === rel),
    'href',
  );
}

/** The last path segment of an href: vCloud's id of what it names (`vapp-<uuid>`). */
export function idOfHref(href: string | undefined): string | undefined {
  if (href === undefined) return undefined;
  const query = href.indexOf('?');
  let end = query === -1 ? href.length : query;
  // Trailing slashes end no segment: `/api/vApp/vapp-1/` names vapp-1.
  while (end > 0 && href.charCodeAt(end - 1) === 47 /* / */) end -= 1;
  const segment = href.slice(href.lastIndexOf('/', end - 1) + 1, end);
  return segment === '' ? undefined : segment;
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
  // XML has no attributes without values: deploy="true" stays so.
  suppressBooleanAttributes: false,
});

/** A request body: the object as XML, every text and attribute escaped by the builder. */
export function buildXml(document: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build(document) as string}`;
}
