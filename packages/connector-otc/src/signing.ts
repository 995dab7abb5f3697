import { createHash, createHmac } from 'node:crypto';

/**
 * AK/SK request signing as Huawei Cloud's API Gateway (and so Open Telekom Cloud) defines it,
 * "SDK-HMAC-SHA256". The canonical request is six lines joined by "\n": the method, the canonical
 * URI (each path segment escaped, with a trailing slash), the canonical query (sorted by name,
 * then value, both escaped), the canonical headers ("name:value\n" for each signed header), the
 * signed header names joined by ";", and the hex SHA-256 of the body. The string to sign is
 * "SDK-HMAC-SHA256\n<X-Sdk-Date>\n<hex SHA-256 of the canonical request>"; the signature is the hex
 * HMAC-SHA256 of it keyed with the secret key.
 */

export const SDK_HMAC_SHA256 = 'SDK-HMAC-SHA256';
export const SDK_DATE_HEADER = 'X-Sdk-Date';

/** A request about to be sent: the parts the signature covers. */
export interface SignableRequest {
  readonly method: string;
  readonly url: string | URL;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly body?: string | Uint8Array | undefined;
}

export interface AccessKeyPair {
  readonly accessKey: string;
  readonly secretKey: string;
}

/** The parts of a canonical request, already chosen: what the signature is computed over. */
export interface CanonicalParts {
  readonly method: string;
  /** The raw (percent-encoded) URL path, e.g. `/v2.1/abc/servers`. */
  readonly path: string;
  /** Query parameters as name/value pairs, decoded. */
  readonly query: ReadonlyArray<readonly [string, string]>;
  /** Lowercased header name → value, for every signed header. */
  readonly headers: Readonly<Record<string, string>>;
  /** Lowercased signed header names; sorted by canonicalRequest. */
  readonly signedHeaders: readonly string[];
  readonly body: string | Uint8Array;
}

/** `YYYYMMDD'T'HHMMSS'Z'` in UTC, the X-Sdk-Date format. */
export function sdkDate(epochMs: number): string {
  return new Date(epochMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/**
 * Percent-encodes every UTF-8 byte outside `A-Z a-z 0-9 - _ . ~`, with uppercase hex: the
 * gateway's escaping of path segments, query names and values.
 */
export function sdkEscape(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Each segment decoded and escaped again (so `%3a` and `:` agree), then a trailing slash. */
export function canonicalUri(path: string): string {
  const escaped = path
    .split('/')
    .map((segment) => sdkEscape(decodeSegment(segment)))
    .join('/');
  return escaped.endsWith('/') ? escaped : `${escaped}/`;
}

/** Sorted by name, then by value (byte order, as the SDKs sort), each escaped. */
export function canonicalQuery(query: ReadonlyArray<readonly [string, string]>): string {
  return [...query]
    .sort(([nameA, valueA], [nameB, valueB]) => byteCompare(nameA, nameB) || byteCompare(valueA, valueB))
    .map(([name, value]) => `${sdkEscape(name)}=${sdkEscape(value)}`)
    .join('&');
}

export function canonicalRequest(parts: CanonicalParts): string {
  const signed = [...parts.signedHeaders].sort(byteCompare);
  const headers = signed.map((name) => `${name}:${(parts.headers[name] ?? '').trim()}\n`).join('');
  return [
    parts.method.toUpperCase(),
    canonicalUri(parts.path),
    canonicalQuery(parts.query),
    headers,
    signed.join(';'),
    sha256Hex(parts.body),
  ].join('\n');
}

export function stringToSign(canonical: string, date: string): string {
  return `${SDK_HMAC_SHA256}\n${date}\n${sha256Hex(canonical)}`;
}

/** Hex HMAC-SHA256 of the string to sign, keyed with the secret key. */
export function signature(secretKey: string, toSign: string): string {
  return createHmac('sha256', secretKey).update(toSign, 'utf8').digest('hex');
}

/** The Authorization header value for parts whose X-Sdk-Date is `date`. */
export function authorization(keys: AccessKeyPair, parts: CanonicalParts, date: string): string {
  const signed = [...parts.signedHeaders].sort(byteCompare);
  const value = signature(keys.secretKey, stringToSign(canonicalRequest(parts), date));
  return `${SDK_HMAC_SHA256} Access=${keys.accessKey}, SignedHeaders=${signed.join(';')}, Signature=${value}`;
}

/**
 * Signs a request: returns its headers plus X-Sdk-Date (kept when the request has a valid one, as
 * the SDKs do) and Authorization. Signed are `host` (from the URL, as the HTTP client sends it),
 * X-Sdk-Date and every given header except those with an underscore in their name, which proxies
 * in front of the gateway drop (the SDKs leave them out for that reason).
 */
export function signRequest(
  request: SignableRequest,
  keys: AccessKeyPair,
  now: number = Date.now(),
): Record<string, string> {
  const url = new URL(request.url);
  const given = { ...request.headers };
  const dateName = Object.keys(given).find((name) => name.toLowerCase() === 'x-sdk-date');
  const givenDate = dateName === undefined ? undefined : given[dateName];
  const date = givenDate !== undefined && /^\d{8}T\d{6}Z$/.test(givenDate) ? givenDate : sdkDate(now);
  if (dateName !== undefined) delete given[dateName];
  const headers: Record<string, string> = { ...given, [SDK_DATE_HEADER]: date };

  const signedValues: Record<string, string> = { host: url.host };
  for (const [name, value] of Object.entries(headers)) {
    if (!name.includes('_')) signedValues[name.toLowerCase()] = value;
  }
  const parts: CanonicalParts = {
    method: request.method,
    path: url.pathname,
    query: [...url.searchParams],
    headers: signedValues,
    signedHeaders: Object.keys(signedValues),
    body: request.body ?? '',
  };
  return { ...headers, Authorization: authorization(keys, parts, date) };
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A stray "%" is not an escape: it is signed (escaped) as the character it is.
    return segment;
  }
}

function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
