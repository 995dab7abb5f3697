import { XMLParser } from 'fast-xml-parser';
import {
  type MethodResponse,
  methodCallXml,
  parseMethodResponse,
  plainValue,
  rpc,
  type XmlRpcValue,
} from './xmlrpc.js';

/**
 * A bare XML-RPC client for the simulator's own tests: it writes calls as xmlrpc-c does, reads
 * oned's `[ok, result, code, id, index]` answers, and parses the documents inside with
 * fast-xml-parser (values as text, pool entries, NICs and DISKs always arrays). Not exported from
 * the package.
 */

export type Argument = string | number | boolean | XmlRpcValue;

export interface RawAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** A failed call's values after `false`. */
export interface OneFailure {
  readonly message: string;
  readonly code: number;
  readonly respId: number;
  readonly replication: number;
}

/** Parsed XML, which tests walk freely. */
// biome-ignore lint/suspicious/noExplicitAny: a parsed document's shape is what each test asserts.
export type Xml = any;

/** Pool entries, a template's NICs and DISKs, history records and address ranges: lists even of one. */
function isList(name: string, path: string): boolean {
  switch (name) {
    case 'VM':
      return path === 'VM_POOL.VM';
    case 'VMTEMPLATE':
      return path === 'VMTEMPLATE_POOL.VMTEMPLATE';
    case 'VNET':
      return path === 'VNET_POOL.VNET';
    case 'NIC':
    case 'DISK':
      return path.endsWith(`.TEMPLATE.${name}`);
    default:
      return name === 'HISTORY' || name === 'AR';
  }
}

const documents = new XMLParser({
  parseTagValue: false,
  ignoreAttributes: true,
  isArray: (name, path) => isList(name, String(path)),
});

export function parseDocument(text: string): Xml {
  return documents.parse(text);
}

export function toValue(argument: Argument): XmlRpcValue {
  if (typeof argument === 'string') return rpc.string(argument);
  if (typeof argument === 'number') return rpc.int(argument);
  if (typeof argument === 'boolean') return rpc.boolean(argument);
  return argument;
}

export class OneTestClient {
  readonly url: string;
  session: string;

  constructor(url: string, session: string) {
    this.url = url;
    this.session = session;
  }

  /** POSTs a body as is. */
  async post(
    body: string,
    headers: Record<string, string> = { 'content-type': 'text/xml' },
  ): Promise<RawAnswer> {
    const response = await fetch(this.url, { method: 'POST', headers, body });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  /** Calls without adding the session. */
  async rawCall(methodName: string, args: readonly Argument[]): Promise<MethodResponse & RawAnswer> {
    const answer = await this.post(methodCallXml(methodName, args.map(toValue)));
    if (answer.status !== 200)
      throw new Error(`${methodName} answered HTTP ${answer.status}: ${answer.text}`);
    return { ...parseMethodResponse(answer.text), ...answer };
  }

  /** The answer's values (the session first among the arguments). */
  async call(methodName: string, ...args: Argument[]): Promise<unknown[]> {
    const answer = await this.rawCall(methodName, [this.session, ...args]);
    if (answer.kind === 'fault') {
      throw new Error(`${methodName} faulted: ${answer.faultCode} ${answer.faultString}`);
    }
    const values = plainValue(answer.value);
    if (!Array.isArray(values))
      throw new Error(`${methodName} answered ${JSON.stringify(values)}, not an array`);
    return values;
  }

  /** Expects success: the result (a document string or an id). */
  async ok<T = unknown>(methodName: string, ...args: Argument[]): Promise<T> {
    const [success, result, code] = await this.call(methodName, ...args);
    if (success !== true) throw new Error(`${methodName} failed: ${String(result)} (${String(code)})`);
    return result as T;
  }

  /** Expects a parsed document as the result. */
  async document(methodName: string, ...args: Argument[]): Promise<Xml> {
    return parseDocument(await this.ok<string>(methodName, ...args));
  }

  /** Expects oned's refusal. */
  async fail(methodName: string, ...args: Argument[]): Promise<OneFailure> {
    const [success, message, code, respId, replication] = await this.call(methodName, ...args);
    if (success !== false) throw new Error(`${methodName} succeeded with ${String(message)}`);
    return {
      message: String(message),
      code: Number(code),
      respId: Number(respId),
      replication: Number(replication),
    };
  }

  /** Expects an XML-RPC fault. */
  async fault(
    methodName: string,
    args: readonly Argument[],
  ): Promise<{ faultCode: number; faultString: string }> {
    const answer = await this.rawCall(methodName, args);
    if (answer.kind !== 'fault') throw new Error(`${methodName} did not fault: ${answer.text}`);
    return { faultCode: answer.faultCode, faultString: answer.faultString };
  }

  /** The VMs a vmpool call lists (an empty pool parses to an empty string). */
  async vms(methodName: string, ...args: Argument[]): Promise<Xml[]> {
    const pool = await this.document(methodName, ...args);
    return pool.VM_POOL?.VM ?? [];
  }
}
