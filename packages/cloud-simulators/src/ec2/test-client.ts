import { createHash, createHmac } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { XMLParser } from 'fast-xml-parser';

/**
 * A bare EC2 Query API client for the simulator's own tests: it encodes parameters as the AWS SDKs
 * do, signs with AWS's own signer (@smithy/signature-v4, what the AWS SDK for JavaScript v3 uses)
 * and parses answers with fast-xml-parser, keeping `<item>` lists as arrays. Not exported from the
 * package.
 */

export interface Ec2Credentials {
  readonly key: string;
  readonly secret: string;
  readonly sessionToken?: string | undefined;
}

export interface CallOptions {
  readonly credentials?: Ec2Credentials | undefined;
  readonly region?: string | undefined;
  readonly method?: 'GET' | 'POST';
  /** The time the request is signed at; default now. */
  readonly signingDate?: Date | undefined;
  /** Leaves the Authorization header off. */
  readonly unsigned?: boolean;
  readonly version?: string | undefined;
}

export interface Ec2Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed XML: the root element's content, keyed by the root's name. */
  readonly xml: Record<string, Xml>;
}

/** Parsed XML, which tests walk freely (`answer.reservationSet.item[0].instancesSet…`). */
// biome-ignore lint/suspicious/noExplicitAny: a parsed document's shape is what each test asserts.
export type Xml = any;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  isArray: (name) => name === 'item',
});

export function parseXml(text: string): Record<string, Xml> {
  return parser.parse(text) as Record<string, Xml>;
}

/** `Name.N` list parameters. */
export function listParams(name: string, values: readonly string[]): Record<string, string> {
  return Object.fromEntries(values.map((value, index) => [`${name}.${index + 1}`, value]));
}

/** `Filter.N.Name` / `Filter.N.Value.M` parameters. */
export function filterParams(filters: Readonly<Record<string, readonly string[]>>): Record<string, string> {
  const params: Record<string, string> = {};
  Object.entries(filters).forEach(([name, values], index) => {
    params[`Filter.${index + 1}.Name`] = name;
    values.forEach((value, valueIndex) => {
      params[`Filter.${index + 1}.Value.${valueIndex + 1}`] = value;
    });
  });
  return params;
}

/** Form encoding as the AWS SDKs write it: RFC 3986, spaces as %20. */
export function formBody(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .map(([name, value]) => `${strict(name)}=${strict(value)}`)
    .join('&');
}

function strict(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export class Ec2TestClient {
  readonly #url: URL;
  readonly #credentials: Ec2Credentials;
  readonly #region: string;
  readonly #now: () => number;

  /** `now` is the clock requests are signed by: the simulator's, when it runs on a ManualClock. */
  constructor(url: string, credentials: Ec2Credentials, region = 'us-east-1', now: () => number = Date.now) {
    this.#url = new URL(url);
    this.#credentials = credentials;
    this.#region = region;
    this.#now = now;
  }

  async call(
    action: string,
    params: Readonly<Record<string, string>> = {},
    options: CallOptions = {},
  ): Promise<Ec2Answer> {
    const method = options.method ?? 'POST';
    const all = { Action: action, Version: options.version ?? '2016-11-15', ...params };
    const body = method === 'POST' ? formBody(all) : '';
    const query = method === 'GET' ? all : {};
    const credentials = options.credentials ?? this.#credentials;
    const request = new HttpRequest({
      method,
      protocol: this.#url.protocol,
      hostname: this.#url.hostname,
      port: Number(this.#url.port),
      path: '/',
      query,
      headers: {
        host: this.#url.host,
        ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } : {}),
      },
      body,
    });
    const signer = new SignatureV4({
      service: 'ec2',
      region: options.region ?? this.#region,
      credentials: {
        accessKeyId: credentials.key,
        secretAccessKey: credentials.secret,
        sessionToken: credentials.sessionToken,
      },
      sha256: Sha256,
    });
    const signed = options.unsigned
      ? request
      : await signer.sign(request, { signingDate: options.signingDate ?? new Date(this.#now()) });
    const search = method === 'GET' ? `?${formBody(all)}` : '';
    const headers = Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name !== 'host'));
    const response = await fetch(`${this.#url.origin}/${search}`, {
      method,
      headers,
      body: method === 'POST' ? body : undefined,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, xml: parseXml(text) };
  }

  /** Calls and expects 200: the response element's content. */
  async ok(
    action: string,
    params: Readonly<Record<string, string>> = {},
    options: CallOptions = {},
  ): Promise<Xml> {
    const answer = await this.call(action, params, options);
    if (answer.status !== 200) throw new Error(`${action} answered ${answer.status}: ${answer.text}`);
    return answer.xml[`${action}Response`];
  }

  /** Calls and expects an error: its status, code, message and request id. */
  async error(
    action: string,
    params: Readonly<Record<string, string>> = {},
    options: CallOptions = {},
  ): Promise<{ status: number; code: string; message: string; requestId: string }> {
    const answer = await this.call(action, params, options);
    const error = answer.xml.Response?.Errors?.Error;
    if (!error) throw new Error(`${action} answered ${answer.status} without an error: ${answer.text}`);
    return {
      status: answer.status,
      code: error.Code,
      message: error.Message,
      requestId: answer.xml.Response.RequestID,
    };
  }
}

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytes(data: SourceData): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/** A minimal @smithy Checksum for SHA-256 (HMAC when given a secret) on node:crypto. */
class Sha256 {
  readonly #hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;

  constructor(secret?: SourceData) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }

  update(data: SourceData): void {
    this.#hash.update(bytes(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }

  reset(): void {}
}
