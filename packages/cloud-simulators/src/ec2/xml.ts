import { XMLBuilder } from 'fast-xml-parser';

/**
 * EC2's XML: every answer is `<{Action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">`
 * with a `<requestId>` first; lists are `<xxxSet>` (or another wire name) of `<item>` elements, an
 * empty list an empty element. Errors are `<Response><Errors><Error>` with `<RequestID>`.
 */

export const EC2_API_VERSION = '2016-11-15';
export const EC2_NAMESPACE = `http://ec2.amazonaws.com/doc/${EC2_API_VERSION}/`;
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** A node of an answer: elements by wire name; undefined leaves an element out. */
export type XmlValue = string | number | boolean | undefined | XmlNode | XmlList;
export interface XmlNode {
  readonly [element: string]: XmlValue;
}
/** A list, rendered as repeated `<item>` elements (or an empty element when it has none). */
export interface XmlList {
  readonly item: readonly XmlNode[] | readonly string[];
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
  format: true,
  indentBy: '    ',
});

/** `<item>`s of a list; an empty list is an empty element, as EC2 writes `<groupSet/>`. */
export function itemSet(items: readonly XmlNode[] | readonly string[]): XmlList | string {
  return items.length === 0 ? '' : { item: items };
}

export function successXml(action: string, requestId: string, body: XmlNode): string {
  const root = { '@_xmlns': EC2_NAMESPACE, requestId, ...body };
  return `${XML_DECLARATION}\n${builder.build({ [`${action}Response`]: root })}`;
}

/** Errors come on one line, as EC2 writes them. */
const compact = new XMLBuilder({ suppressEmptyNode: true });

export function errorXml(code: string, message: string, requestId: string): string {
  const body = { Response: { Errors: { Error: { Code: code, Message: message } }, RequestID: requestId } };
  return `${XML_DECLARATION}\n${compact.build(body)}`;
}
