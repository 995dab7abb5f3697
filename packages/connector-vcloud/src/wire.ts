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
  // The parser asks about every attribute too (a VMRecord has some thirty): those are never lists,
  // and answering without a lookup keeps a listing of thousands of records from paying for it.
  isArray: (name, _path, _isLeaf, isAttribute) => !isAttribute && REPEATED.has(name),
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
 * parser reads a body cut short without complaint, and a query page cut short would silently lose
 * VMs, so a document is validated first, unless it ends with its root's end tag: a body cut short
 * cannot (its root element is the only one of that name). Validating every page in full would cost
 * two thirds of parsing it.
 */
export function documentOf(body: string, name: string, what: string): XmlElement {
  const valid = body.trimEnd().endsWith(`</${name}>`) || XMLValidator.validate(body);
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

/** The elements of `key` (repeated or not) of an element. */
export function children(element: XmlElement | undefined, key: string): XmlElement[] {
  const value = element?.[key];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter(isElement);
}

/** The `<Task>` elements of a document's `<Tasks>` (a vApp, an instantiate answer), ended ones too. */
export function tasksOf(document: XmlElement | undefined): XmlElement[] {
  return children(children(document, 'Tasks')[0], 'Task');
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
