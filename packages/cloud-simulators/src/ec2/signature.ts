import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * AWS Signature Version 4 (AWS4-HMAC-SHA256), verified as AWS services other than S3 verify it:
 * the canonical request (method, normalised and twice-encoded path, sorted and re-encoded query,
 * the signed headers lowercased with trimmed values, their names, the SHA-256 of the payload),
 * the string to sign over the credential scope, and the signing key derived from the secret
 * through the date, region and service. Authorization header and presigned query string
 * (X-Amz-Signature) are both accepted.
 */

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/** What a signature covers, as the server received it. */
export interface SignableRequest {
  readonly method: string;
  /** The path as sent, still percent-encoded. */
  readonly path: string;
  /** The query string as sent, without `?`. */
  readonly query: string;
  /** Header names and values in the order received; repeated names appear repeatedly. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string | Buffer;
}

/** RFC 3986 encoding: every byte but the unreserved `A-Z a-z 0-9 - _ . ~` as `%XY`. */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/**
 * The canonical URI of a non-S3 service: dot segments resolved, empty segments dropped, and each
 * segment URI-encoded once more on top of the encoding it was sent with.
 */
export function canonicalUri(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = path.length > 1 && path.endsWith('/') && segments.length > 0 ? '/' : '';
  return `/${segments.map(uriEncode).join('/')}${trailing}`;
}

/** Query parameters decoded, re-encoded by RFC 3986 and sorted by name, then value. */
export function canonicalQuery(query: string, exclude: readonly string[] = []): string {
  const pairs: Array<[string, string]> = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const name = decode(equals < 0 ? part : part.slice(0, equals));
    if (exclude.includes(name)) continue;
    const value = equals < 0 ? '' : decode(part.slice(equals + 1));
    pairs.push([uriEncode(name), uriEncode(value)]);
  }
  pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

/** `name:value` lines of the signed headers: values trimmed, inner spaces collapsed, repeats comma-joined. */
export function canonicalHeaders(
  headers: SignableRequest['headers'],
  signedHeaders: readonly string[],
): string {
  return signedHeaders
    .map((name) => {
      const values = headers
        .filter(([header]) => header.toLowerCase() === name)
        .map(([, value]) => value.trim().replace(/\s+/g, ' '));
      return `${name}:${values.join(',')}\n`;
    })
    .join('');
}

export function canonicalRequest(
  request: SignableRequest,
  signedHeaders: readonly string[],
  payloadHash: string,
  excludeQuery: readonly string[] = [],
): string {
  return [
    request.method.toUpperCase(),
    canonicalUri(request.path),
    canonicalQuery(request.query, excludeQuery),
    canonicalHeaders(request.headers, signedHeaders),
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return [SIGV4_ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n');
}

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = hmac(`AWS4${secret}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

export function signatureOf(key: Buffer, toSign: string): string {
  return createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
}

/** The parts of a SigV4 signature, from the Authorization header or a presigned query string. */
export interface SignatureParts {
  readonly accessKey: string;
  /** YYYYMMDD of the credential scope. */
  readonly scopeDate: string;
  readonly region: string;
  readonly service: string;
  /** The scope's terminator; `aws4_request` when well formed. */
  readonly terminator: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  /** Where they came from. */
  readonly source: 'header' | 'query';
  /** X-Amz-Expires of a presigned request, in seconds. */
  readonly expiresSeconds?: number | undefined;
}

/** Why a request's signature could not even be checked: AWS's IncompleteSignature answers. */
export class IncompleteSignature extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IncompleteSignature';
  }
}

function splitCredential(credential: string): Omit<SignatureParts, 'signedHeaders' | 'signature' | 'source'> {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts.some((part) => part === '')) {
    throw new IncompleteSignature(
      `Credential should have the form <access key>/<date>/<region>/<service>/aws4_request: '${credential}'.`,
    );
  }
  const [accessKey, scopeDate, region, service, terminator] = parts as [
    string,
    string,
    string,
    string,
    string,
  ];
  return { accessKey, scopeDate, region, service, terminator };
}

/**
 * Reads `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`; throws IncompleteSignature
 * with AWS's wording for a header that lacks a part.
 */
export function parseAuthorizationHeader(value: string): SignatureParts {
  const trimmed = value.trim();
  const space = trimmed.indexOf(' ');
  const algorithm = space < 0 ? trimmed : trimmed.slice(0, space);
  if (algorithm !== SIGV4_ALGORITHM) {
    throw new IncompleteSignature(
      `Unsupported AWS 'algorithm': '${algorithm}'. Expected ${SIGV4_ALGORITHM}.`,
    );
  }
  const fields = new Map<string, string>();
  for (const field of (space < 0 ? '' : trimmed.slice(space + 1)).split(',')) {
    const equals = field.indexOf('=');
    if (equals > 0) fields.set(field.slice(0, equals).trim(), field.slice(equals + 1).trim());
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((name) => !fields.get(name));
  if (missing.length > 0) {
    throw new IncompleteSignature(
      `${missing.map((name) => `Authorization header requires '${name}' parameter.`).join(' ')} Authorization=${trimmed}`,
    );
  }
  return {
    ...splitCredential(fields.get('Credential') as string),
    signedHeaders: (fields.get('SignedHeaders') as string).split(';'),
    signature: fields.get('Signature') as string,
    source: 'header',
  };
}

/** The X-Amz-* parameters of a presigned request, or undefined when it is not one. */
export function parsePresignedQuery(params: URLSearchParams): SignatureParts | undefined {
  if (!params.has('X-Amz-Signature') && !params.has('X-Amz-Algorithm')) return undefined;
  const missing = [
    'X-Amz-Algorithm',
    'X-Amz-Credential',
    'X-Amz-SignedHeaders',
    'X-Amz-Signature',
    'X-Amz-Date',
  ].filter((name) => !params.get(name));
  if (missing.length > 0) {
    throw new IncompleteSignature(`AWS query-string parameters missing: ${missing.join(', ')}.`);
  }
  const algorithm = params.get('X-Amz-Algorithm') as string;
  if (algorithm !== SIGV4_ALGORITHM) {
    throw new IncompleteSignature(
      `Unsupported AWS 'algorithm': '${algorithm}'. Expected ${SIGV4_ALGORITHM}.`,
    );
  }
  const expires = params.get('X-Amz-Expires');
  return {
    ...splitCredential(params.get('X-Amz-Credential') as string),
    signedHeaders: (params.get('X-Amz-SignedHeaders') as string).split(';'),
    signature: params.get('X-Amz-Signature') as string,
    source: 'query',
    expiresSeconds: expires === null ? undefined : Number(expires),
  };
}

/** `20150830T123600Z` → epoch ms, or undefined when not in that form. */
export function parseAmzDate(value: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const time = Date.UTC(y, mo - 1, d, h, mi, s);
  return Number.isNaN(time) ? undefined : time;
}

export function formatAmzDate(time: number): string {
  return new Date(time)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The signature a request should carry, computed from its parts and the secret. */
export function expectedSignature(
  request: SignableRequest,
  parts: SignatureParts,
  secret: string,
  amzDate: string,
): { readonly canonicalRequest: string; readonly stringToSign: string; readonly signature: string } {
  const canonical = canonicalRequest(
    request,
    parts.signedHeaders,
    sha256Hex(request.body),
    parts.source === 'query' ? ['X-Amz-Signature'] : [],
  );
  const scope = [parts.scopeDate, parts.region, parts.service, parts.terminator].join('/');
  const toSign = stringToSign(amzDate, scope, canonical);
  return {
    canonicalRequest: canonical,
    stringToSign: toSign,
    signature: signatureOf(signingKey(secret, parts.scopeDate, parts.region, parts.service), toSign),
  };
}

/** Constant-time comparison of two hex signatures. */
export function sameSignature(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Signs a request the way a client does; the simulator's tests use it with the test-suite vectors. */
export function signRequest(
  request: SignableRequest,
  credentials: { readonly key: string; readonly secret: string },
  scope: { readonly region: string; readonly service: string; readonly amzDate: string },
  signedHeaders: readonly string[],
): string {
  const parts: SignatureParts = {
    accessKey: credentials.key,
    scopeDate: scope.amzDate.slice(0, 8),
    region: scope.region,
    service: scope.service,
    terminator: 'aws4_request',
    signedHeaders,
    signature: '',
    source: 'header',
  };
  const { signature } = expectedSignature(request, parts, credentials.secret, scope.amzDate);
  return `${SIGV4_ALGORITHM} Credential=${credentials.key}/${parts.scopeDate}/${scope.region}/${scope.service}/aws4_request, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
}
