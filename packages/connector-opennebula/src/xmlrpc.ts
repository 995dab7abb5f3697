import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * XML-RPC (xmlrpc.com/spec) as OpenNebula's oned speaks it, through fast-xml-parser: a call is a
 * POSTed `methodCall`, an answer a `methodResponse` holding one value or a `fault`. Values are
 * read as text and typed by their tag; oned answers `<i8>` as well as `<i4>`/`<int>`, and an
 * untyped `<value>text</value>` is a string.
 */

/** What a call's parameters and an answer's values may be. */
export type XmlRpcValue =
  | string
  | number
  | boolean
  | readonly XmlRpcValue[]
  | { readonly [key: string]: XmlRpcValue };

/** A parameter forced to a type: numbers are `<int>` unless marked as `<i8>` or `<double>`. */
export interface TypedParameter {
  readonly type: 'i8' | 'double';
  readonly value: number;
}

export type XmlRpcParameter = string | number | boolean | TypedParameter;

const builder = new XMLBuilder({ ignoreAttributes: true, suppressEmptyNode: false });

function encodeValue(value: XmlRpcParameter): Record<string, unknown> {
  if (typeof value === 'string') return { string: value };
  if (typeof value === 'boolean') return { boolean: value ? 1 : 0 };
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || Math.abs(value) > 2 ** 31 - 1) {
      throw new RangeError(`XML-RPC <int> holds 32-bit integers; got ${value}.`);
    }
    return { int: value };
  }
  return { [value.type]: value.value };
}

/** The body of a call: `<?xml?><methodCall><methodName>…</methodName><params>…</params></methodCall>`. */
export function encodeMethodCall(method: string, parameters: readonly XmlRpcParameter[]): string {
  const body = builder.build({
    methodCall: {
      methodName: method,
      params: { param: parameters.map((parameter) => ({ value: encodeValue(parameter) })) },
    },
  }) as string;
  return `<?xml version="1.0"?>${body}`;
}

/** Why an answer could not be read as XML-RPC. */
export class XmlRpcFormatError extends Error {}

/** An answer that is a well-formed XML-RPC `fault`. */
export class XmlRpcFault extends Error {
  readonly faultCode: number | undefined;
  readonly faultString: string;

  constructor(faultCode: number | undefined, faultString: string) {
    super(`XML-RPC fault ${faultCode ?? '(no code)'}: ${faultString}`);
    this.faultCode = faultCode;
    this.faultString = faultString;
  }
}

// Every element that may repeat is an array, so that one element and several read the same.
const REPEATED = new Set(['value', 'member', 'param']);

const parser = new XMLParser({
  ignoreAttributes: true,
  // Values keep their text: a string "007" or "1e3" stays a string; types come from the tags.
  parseTagValue: false,
  trimValues: false,
  // xmlrpc-c writes control characters as character references (`&#x0d;`), which are not in
  // XML's five named entities: this decodes them too.
  htmlEntities: true,
  isArray: (name) => REPEATED.has(name),
});

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The one typed child of a `<value>`, ignoring the whitespace between elements. */
function typedChild(node: Node): [string, unknown] | undefined {
  const entries = Object.entries(node).filter(([key]) => key !== '#text');
  return entries.length === 1 ? (entries[0] as [string, unknown]) : undefined;
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === '') return '';
  throw new XmlRpcFormatError('a scalar value holds elements');
}

function integer(raw: unknown, type: string): number {
  const textValue = text(raw).trim();
  const number = Number(textValue);
  if (textValue === '' || !Number.isInteger(number)) {
    throw new XmlRpcFormatError(`<${type}> holds "${textValue.slice(0, 40)}", not an integer`);
  }
  return number;
}

export function decodeValue(value: unknown): XmlRpcValue {
  // `<value>text</value>` and `<value></value>` are strings.
  if (!isNode(value)) return text(value);
  const child = typedChild(value);
  if (child === undefined) {
    if (Object.keys(value).length === 1 && '#text' in value) return text(value['#text']);
    throw new XmlRpcFormatError('a <value> holds more than one element');
  }
  const [type, content] = child;
  switch (type) {
    case 'string':
      return text(content);
    case 'i4':
    case 'int':
    case 'i8':
      return integer(content, type);
    case 'boolean': {
      const flag = text(content).trim();
      if (flag !== '0' && flag !== '1') throw new XmlRpcFormatError(`<boolean> holds "${flag}"`);
      return flag === '1';
    }
    case 'double': {
      const number = Number(text(content).trim());
      if (!Number.isFinite(number)) throw new XmlRpcFormatError('<double> is not a number');
      return number;
    }
    case 'dateTime.iso8601':
    case 'base64':
      return text(content).trim();
    case 'array': {
      const data = isNode(content) ? content.data : undefined;
      if (data === '' || (isNode(data) && data.value === undefined)) return [];
      if (!isNode(data)) throw new XmlRpcFormatError('an <array> without <data>');
      return (data.value as unknown[]).map(decodeValue);
    }
    case 'struct': {
      const members = isNode(content) ? ((content.member as unknown[] | undefined) ?? []) : [];
      const result: Record<string, XmlRpcValue> = {};
      for (const member of members) {
        if (!isNode(member) || typeof member.name !== 'string' || !Array.isArray(member.value)) {
          throw new XmlRpcFormatError('a <struct> member without a name or a value');
        }
        result[member.name] = decodeValue(member.value[0]);
      }
      return result;
    }
    default:
      throw new XmlRpcFormatError(`unknown value type <${type}>`);
  }
}

/**
 * The value of a `methodResponse`. XmlRpcFault for a `fault`; XmlRpcFormatError for a body that is
 * not well-formed XML (cut short, say) or not a `methodResponse`, saying what it is instead.
 */
export function decodeMethodResponse(body: string): XmlRpcValue {
  if (body.trim() === '') throw new XmlRpcFormatError('the body is empty');
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    throw new XmlRpcFormatError(
      `the body is not well-formed XML (${valid.err.msg.replace(/\.$/, '')} at line ${valid.err.line})`,
    );
  }
  const document = parser.parse(body) as Node;
  // An empty element parses as an empty string.
  const response = document.methodResponse === '' ? {} : document.methodResponse;
  if (!isNode(response)) {
    const root = Object.keys(document).find((key) => !key.startsWith('?') && key !== '#text');
    throw new XmlRpcFormatError(`the body is a <${root ?? '?'}> document, not a <methodResponse>`);
  }
  if (response.fault !== undefined) {
    const fault =
      isNode(response.fault) && Array.isArray(response.fault.value) ? response.fault.value[0] : undefined;
    const decoded = fault === undefined ? undefined : decodeValue(fault);
    if (!isNode(decoded)) throw new XmlRpcFormatError('a <fault> without a struct');
    const code = decoded.faultCode;
    throw new XmlRpcFault(typeof code === 'number' ? code : undefined, String(decoded.faultString ?? ''));
  }
  const params = isNode(response.params) ? response.params.param : undefined;
  const first = Array.isArray(params) ? (params[0] as unknown) : undefined;
  if (!isNode(first) || !Array.isArray(first.value)) {
    throw new XmlRpcFormatError('the <methodResponse> holds no <params><param><value>');
  }
  return decodeValue(first.value[0]);
}
