import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { XMLRPC_FAULTS, XmlRpcFault } from './errors.js';

/**
 * The XML-RPC codec, written the way xmlrpc-c (the library oned serves with) reads and writes it.
 *
 * Calls are parsed with fast-xml-parser keeping document order and every value as text: the
 * parser never turns "007" into 7, and a value's XML-RPC type is the element around it (`<i4>`,
 * `<int>`, `<i8>`, `<boolean>`, `<string>`, `<double>`, `<array>`, `<struct>`…), or none: an
 * untyped `<value>text</value>` is a string. Answers are written as xmlrpc-c writes them: a CRLF
 * after each array item, struct member and structural line, `<i4>` for integers, `<i8>` for
 * 64-bit ones, `<boolean>0|1</boolean>`, strings in `<string>` with `&`, `<`, `>` and CR escaped.
 */

/** A scalar keeps the text it was written with; the reader of an argument converts it. */
export type XmlRpcScalarType = 'int' | 'i8' | 'boolean' | 'string' | 'double' | 'dateTime' | 'base64';

export type XmlRpcValue =
  | {
      readonly type: XmlRpcScalarType;
      readonly text: string;
      /** The text already escaped for an answer, when the writer has it (big documents). */
      readonly escaped?: string | undefined;
    }
  | { readonly type: 'nil' }
  | { readonly type: 'array'; readonly items: readonly XmlRpcValue[] }
  | { readonly type: 'struct'; readonly members: readonly (readonly [string, XmlRpcValue])[] };

export interface MethodCall {
  readonly methodName: string;
  readonly params: readonly XmlRpcValue[];
}

/** A parsed methodResponse: the single result, or a fault. */
export type MethodResponse =
  | { readonly kind: 'result'; readonly value: XmlRpcValue }
  | { readonly kind: 'fault'; readonly faultCode: number; readonly faultString: string };

// --- building values ------------------------------------------------------------------------------

const INT32 = { min: -2_147_483_648, max: 2_147_483_647 };

export const rpc = Object.freeze({
  int(value: number): XmlRpcValue {
    if (!Number.isInteger(value) || value < INT32.min || value > INT32.max) {
      throw new RangeError(`An XML-RPC <i4> holds a 32-bit integer; got ${value}.`);
    }
    return { type: 'int', text: String(value) };
  },
  i8(value: number | bigint): XmlRpcValue {
    return { type: 'i8', text: BigInt(value).toString() };
  },
  boolean(value: boolean): XmlRpcValue {
    return { type: 'boolean', text: value ? '1' : '0' };
  },
  /** A string; `escaped`, when given, must be `escapeText(value)`, computed ahead. */
  string(value: string, escaped?: string): XmlRpcValue {
    return escaped === undefined ? { type: 'string', text: value } : { type: 'string', text: value, escaped };
  },
  double(value: number): XmlRpcValue {
    return { type: 'double', text: String(value) };
  },
  array(items: readonly XmlRpcValue[]): XmlRpcValue {
    return { type: 'array', items };
  },
  struct(members: Readonly<Record<string, XmlRpcValue>>): XmlRpcValue {
    return { type: 'struct', members: Object.entries(members) };
  },
});

// --- writing ------------------------------------------------------------------------------------------

const PROLOGUE = '<?xml version="1.0" encoding="UTF-8"?>\r\n';

/** Text content as xmlrpc-c escapes it (a CR would otherwise be read back as a line feed). */
export function escapeText(text: string): string {
  // A replace over the text, not XML parsing: one pass, as pool documents run to megabytes.
  return TEXT_SPECIALS.test(text)
    ? text.replace(TEXT_SPECIALS_ALL, (char) => TEXT_ESCAPES[char] ?? char)
    : text;
}

const TEXT_SPECIALS = /[&<>\r]/;
const TEXT_SPECIALS_ALL = /[&<>\r]/g;
const TEXT_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '\r': '&#x0d;',
};

export function serializeValue(value: XmlRpcValue): string {
  return `<value>${valueContent(value)}</value>`;
}

function valueContent(value: XmlRpcValue): string {
  switch (value.type) {
    case 'int':
      return `<i4>${value.text}</i4>`;
    case 'i8':
      return `<i8>${value.text}</i8>`;
    case 'boolean':
      return `<boolean>${value.text}</boolean>`;
    case 'string':
      return `<string>${value.escaped ?? escapeText(value.text)}</string>`;
    case 'double':
      return `<double>${value.text}</double>`;
    case 'dateTime':
      return `<dateTime.iso8601>${escapeText(value.text)}</dateTime.iso8601>`;
    case 'base64':
      return `<base64>\r\n${value.text}</base64>`;
    case 'nil':
      return '<nil/>';
    case 'array':
      return `<array><data>\r\n${value.items.map((item) => `${serializeValue(item)}\r\n`).join('')}</data></array>`;
    case 'struct':
      return `<struct>\r\n${value.members
        .map(
          ([name, member]) =>
            `<member><name>${escapeText(name)}</name>\r\n${serializeValue(member)}</member>\r\n`,
        )
        .join('')}</struct>`;
  }
}

export function methodResponseXml(result: XmlRpcValue): string {
  return `${PROLOGUE}<methodResponse>\r\n<params>\r\n<param>${serializeValue(result)}</param>\r\n</params>\r\n</methodResponse>\r\n`;
}

export function faultResponseXml(faultCode: number, faultString: string): string {
  const fault = rpc.struct({ faultCode: rpc.int(faultCode), faultString: rpc.string(faultString) });
  return `${PROLOGUE}<methodResponse>\r\n<fault>\r\n${serializeValue(fault)}\r\n</fault>\r\n</methodResponse>\r\n`;
}

/** A call as clients write it: what the tests' client sends. */
export function methodCallXml(methodName: string, params: readonly XmlRpcValue[]): string {
  const body = params.map((param) => `<param>${serializeValue(param)}</param>\r\n`).join('');
  return `${PROLOGUE}<methodCall>\r\n<methodName>${escapeText(methodName)}</methodName>\r\n<params>\r\n${body}</params>\r\n</methodCall>\r\n`;
}

// --- reading ------------------------------------------------------------------------------------------

/** A node of fast-xml-parser's ordered output: `{ tag: children }`, `{ '#text': … }` or `{ '#cdata': … }`. */
type XmlNode = Readonly<Record<string, unknown>>;

const TEXT = '#text';
const CDATA = '#cdata';

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Entities are decoded below, strictly: a parser that also knew HTML's would accept what
  // xmlrpc-c's expat refuses.
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: CDATA,
});

/** An element of an ordered tree: its name and children. */
export interface Element {
  readonly name: string;
  readonly children: readonly XmlNode[];
}

class MalformedXml extends Error {}

/**
 * Parses a document into its root element, or throws MalformedXml with the reason expat would
 * give. Shared with the template parser, which reads oned's XML template form.
 */
export function parseDocument(text: string): Element {
  if (text.trim() === '') throw new MalformedXml('no element found');
  const verdict = XMLValidator.validate(text);
  if (verdict !== true) {
    const message = verdict.err.msg;
    throw new MalformedXml(
      /^Unclosed tag/.test(message)
        ? 'no element found'
        : /^Expected closing tag|^Closing tag/.test(message)
          ? 'mismatched tag'
          : 'not well-formed (invalid token)',
    );
  }
  const roots = elementsOf(parser.parse(text) as XmlNode[], 'the document');
  const [root] = roots;
  if (!root || roots.length !== 1) throw new MalformedXml('junk after document element');
  return root;
}

export function isMalformedXml(error: unknown): error is Error {
  return error instanceof MalformedXml;
}

function tagOf(node: XmlNode): string | undefined {
  for (const key of Object.keys(node)) if (key !== ':@') return key;
  return undefined;
}

/** The element children of a node list; text other than whitespace between them is refused. */
export function elementsOf(nodes: readonly XmlNode[], where: string): Element[] {
  const elements: Element[] = [];
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === TEXT) {
      if (String(node[TEXT]).trim() !== '') throw new MalformedXml(`${where} contains text besides elements`);
    } else if (tag === CDATA) {
      throw new MalformedXml(`${where} contains text besides elements`);
    } else if (tag !== undefined) {
      elements.push({ name: tag, children: node[tag] as XmlNode[] });
    }
  }
  return elements;
}

/** The text content of a node list (entities decoded, CDATA kept as written); elements are refused. */
export function textOf(nodes: readonly XmlNode[], where: string): string {
  let text = '';
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === TEXT) text += decodeEntities(String(node[TEXT]));
    else if (tag === CDATA) text += textOf(node[CDATA] as XmlNode[], where);
    else if (tag !== undefined) throw new MalformedXml(`${where} should not have child elements`);
  }
  return text;
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

/** XML's five entities and character references; any other entity is an error, as in expat. */
function decodeEntities(raw: string): string {
  let out = '';
  let index = 0;
  while (index < raw.length) {
    const amp = raw.indexOf('&', index);
    if (amp === -1) {
      out += raw.slice(index);
      break;
    }
    out += raw.slice(index, amp);
    const semicolon = raw.indexOf(';', amp);
    if (semicolon === -1) throw new MalformedXml('not well-formed (invalid token)');
    const name = raw.slice(amp + 1, semicolon);
    let decoded: string | undefined;
    if (name.startsWith('#x') || name.startsWith('#X')) decoded = codePoint(name.slice(2), 16);
    else if (name.startsWith('#')) decoded = codePoint(name.slice(1), 10);
    else decoded = NAMED_ENTITIES[name];
    if (decoded === undefined) throw new MalformedXml('undefined entity');
    out += decoded;
    index = semicolon + 1;
  }
  return out;
}

function codePoint(digits: string, radix: 16 | 10): string | undefined {
  const valid = radix === 16 ? /^[0-9A-Fa-f]+$/ : /^[0-9]+$/;
  if (!valid.test(digits)) return undefined;
  const value = Number.parseInt(digits, radix);
  return value > 0x10ffff ? undefined : String.fromCodePoint(value);
}

function notProper(detail: string): XmlRpcFault {
  return new XmlRpcFault(XMLRPC_FAULTS.PARSE, `Call XML not a proper XML-RPC call.  ${detail}`);
}

/** Parses a methodCall, or throws the -503 fault xmlrpc-c answers a body that is not one. */
export function parseMethodCall(body: string): MethodCall {
  let root: Element;
  try {
    root = parseDocument(body);
  } catch (error) {
    if (error instanceof MalformedXml) throw notProper(`Call is not valid XML.  ${error.message}`);
    throw error;
  }
  try {
    if (root.name !== 'methodCall') {
      throw new MalformedXml(
        `XML-RPC call should be a <methodCall> element.  Instead, we have a <${root.name}> element.`,
      );
    }
    const parts = elementsOf(root.children, '<methodCall>');
    const nameElement = parts.find((part) => part.name === 'methodName');
    if (!nameElement) throw new MalformedXml('<methodCall> has no <methodName> child.');
    const methodName = textOf(nameElement.children, '<methodName>');
    const paramsElement = parts.find((part) => part.name === 'params');
    const params = paramsElement
      ? elementsOf(paramsElement.children, '<params>').map((param) => {
          if (param.name !== 'param') throw new MalformedXml(`<params> contains a <${param.name}> element.`);
          return valueOfParam(param.children, '<param>');
        })
      : [];
    return { methodName, params };
  } catch (error) {
    if (error instanceof MalformedXml) throw notProper(error.message);
    throw error;
  }
}

function valueOfParam(nodes: readonly XmlNode[], where: string): XmlRpcValue {
  const [value, ...rest] = elementsOf(nodes, where);
  if (!value || rest.length > 0 || value.name !== 'value') {
    throw new MalformedXml(`${where} should contain exactly one <value> element.`);
  }
  return convertValue(value);
}

/** The 64-bit range <i8> allows. */
const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };

function convertValue(value: Element): XmlRpcValue {
  const typed = elementsOfValue(value.children);
  if (typed === undefined) return { type: 'string', text: textOf(value.children, '<value>') };
  const text = (): string => textOf(typed.children, `<${typed.name}>`);
  switch (typed.name) {
    case 'i4':
    case 'int': {
      const digits = text();
      if (!/^[+-]?\d+$/.test(digits))
        throw new MalformedXml(`<${typed.name}> value '${digits}' is not an integer.`);
      const number = Number(digits);
      if (number < INT32.min || number > INT32.max) {
        throw new MalformedXml(`<${typed.name}> value '${digits}' is out of the 32-bit range.`);
      }
      return { type: 'int', text: digits };
    }
    case 'i8':
    case 'ex:i8': {
      const digits = text();
      if (!/^[+-]?\d+$/.test(digits)) throw new MalformedXml(`<i8> value '${digits}' is not an integer.`);
      const number = BigInt(digits);
      if (number < INT64.min || number > INT64.max) {
        throw new MalformedXml(`<i8> value '${digits}' is out of the 64-bit range.`);
      }
      return { type: 'i8', text: digits };
    }
    case 'boolean': {
      const bit = text();
      if (bit !== '0' && bit !== '1') throw new MalformedXml(`<boolean> value '${bit}' is neither 0 nor 1.`);
      return { type: 'boolean', text: bit };
    }
    case 'string':
      return { type: 'string', text: text() };
    case 'double': {
      const number = text();
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(number)) {
        throw new MalformedXml(`<double> value '${number}' is not a number.`);
      }
      return { type: 'double', text: number };
    }
    case 'dateTime.iso8601':
      return { type: 'dateTime', text: text() };
    case 'base64':
      return { type: 'base64', text: text().replace(/\s+/g, '') };
    case 'nil':
    case 'ex:nil':
      return { type: 'nil' };
    case 'array': {
      const [data, ...rest] = elementsOf(typed.children, '<array>');
      if (!data || rest.length > 0 || data.name !== 'data') {
        throw new MalformedXml('<array> should contain exactly one <data> element.');
      }
      const items = elementsOf(data.children, '<data>').map((item) => {
        if (item.name !== 'value') throw new MalformedXml(`<data> contains a <${item.name}> element.`);
        return convertValue(item);
      });
      return { type: 'array', items };
    }
    case 'struct': {
      const members = elementsOf(typed.children, '<struct>').map((member): readonly [string, XmlRpcValue] => {
        if (member.name !== 'member') throw new MalformedXml(`<struct> contains a <${member.name}> element.`);
        const parts = elementsOf(member.children, '<member>');
        const name = parts.find((part) => part.name === 'name');
        const memberValue = parts.find((part) => part.name === 'value');
        if (!name || !memberValue || parts.length !== 2) {
          throw new MalformedXml('<member> should contain a <name> and a <value>.');
        }
        return [textOf(name.children, '<name>'), convertValue(memberValue)];
      });
      return { type: 'struct', members };
    }
    default:
      throw new MalformedXml(`<${typed.name}> is not an XML-RPC value type.`);
  }
}

/** The type element inside a <value>, or undefined when the value is untyped text. */
function elementsOfValue(nodes: readonly XmlNode[]): Element | undefined {
  const hasElement = nodes.some((node) => {
    const tag = tagOf(node);
    return tag !== undefined && tag !== TEXT && tag !== CDATA;
  });
  if (!hasElement) return undefined;
  const [typed, ...rest] = elementsOf(nodes, '<value>');
  if (!typed || rest.length > 0) throw new MalformedXml('<value> should contain at most one element.');
  return typed;
}

/** Parses a methodResponse (what clients read); throws an Error when the body is not one. */
export function parseMethodResponse(body: string): MethodResponse {
  let root: Element;
  try {
    root = parseDocument(body);
    if (root.name !== 'methodResponse')
      throw new MalformedXml(`the root is <${root.name}>, not <methodResponse>`);
    const [part] = elementsOf(root.children, '<methodResponse>');
    if (part?.name === 'fault') {
      const fault = valueOfParam(part.children, '<fault>');
      if (fault.type !== 'struct') throw new MalformedXml('a fault is not a struct');
      const member = (name: string) => fault.members.find(([key]) => key === name)?.[1];
      const code = member('faultCode');
      const string = member('faultString');
      if (code?.type !== 'int' || string?.type !== 'string') {
        throw new MalformedXml('a fault has no integer faultCode and string faultString');
      }
      return { kind: 'fault', faultCode: Number(code.text), faultString: string.text };
    }
    if (part?.name !== 'params') throw new MalformedXml('<methodResponse> has neither <params> nor <fault>');
    const [param] = elementsOf(part.children, '<params>');
    if (param?.name !== 'param') throw new MalformedXml('<params> has no <param>');
    return { kind: 'result', value: valueOfParam(param.children, '<param>') };
  } catch (error) {
    if (error instanceof MalformedXml) throw new Error(`Not an XML-RPC methodResponse: ${error.message}.`);
    throw error;
  }
}

/** Plain JavaScript for a value: numbers for <i4>/<i8>/<double>, arrays, objects for structs. */
export function plainValue(value: XmlRpcValue): unknown {
  switch (value.type) {
    case 'int':
    case 'i8':
    case 'double':
      return Number(value.text);
    case 'boolean':
      return value.text === '1';
    case 'nil':
      return null;
    case 'array':
      return value.items.map(plainValue);
    case 'struct':
      return Object.fromEntries(value.members.map(([name, member]) => [name, plainValue(member)]));
    default:
      return value.text;
  }
}
