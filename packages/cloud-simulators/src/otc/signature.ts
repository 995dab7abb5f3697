import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { SimRequest } from '../server/frontend.js';

/**
 * Verification of AK/SK-signed requests ("SDK-HMAC-SHA256"), as Open Telekom Cloud's API gateway
 * does it in front of ECS and IMS. It recomputes the canonical request from what arrived: method,
 * the path with each segment escaped and a trailing slash, the sorted escaped query, the headers
 * named in SignedHeaders ("name:trimmed value\n" each), the signed names and the hex SHA-256 of the
 * body; then hex HMAC-SHA256(SK, "SDK-HMAC-SHA256\n" + X-Sdk-Date + "\n" + hex SHA-256 of it).
 */

export const SDK_HMAC_SHA256 = 'SDK-HMAC-SHA256';
/** The gateway refuses a request whose X-Sdk-Date is further than this from its own clock. */
export const SDK_DATE_WINDOW_MS = 15 * 60 * 1000;

export interface SdkAuthorization {
  readonly accessKey: string;
  /** Lowercased header names, as listed. */
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** Parses `SDK-HMAC-SHA256 Access=…, SignedHeaders=a;b, Signature=…`; a string says what is wrong. */
export function parseSdkAuthorization(header: string): SdkAuthorization | string {
  const prefix = `${SDK_HMAC_SHA256} `;
  if (!header.startsWith(prefix)) return `unsupported signing algorithm, expected ${SDK_HMAC_SHA256}`;
  const fields = new Map<string, string>();
  for (const part of header.slice(prefix.length).split(',')) {
    const equals = part.indexOf('=');
    if (equals <= 0) return 'malformed Authorization header';
    fields.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  const accessKey = fields.get('Access');
  const signed = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKey || !signed || !signature) {
    return 'malformed Authorization header: Access, SignedHeaders and Signature are required';
  }
  return { accessKey, signedHeaders: signed.split(';').map((name) => name.toLowerCase()), signature };
}

/** An instant as X-Sdk-Date writes it, `YYYYMMDD'T'HHMMSS'Z'` in UTC. */
export function formatSdkDate(epochMs: number): string {
  return new Date(epochMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** Epoch milliseconds of an X-Sdk-Date (`YYYYMMDD'T'HHMMSS'Z'`), undefined when malformed. */
export function parseSdkDate(value: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const time = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 20260231 over into March and second 60 into the next minute: a date that does
  // not format back to itself is not a date.
  return formatSdkDate(time) === value ? time : undefined;
}

/** The hex signature the gateway expects for this request, signed headers and date. */
export function expectedSignature(
  request: SimRequest,
  signedHeaders: readonly string[],
  date: string,
  secretKey: string,
): string {
  const canonical = [
    request.method.toUpperCase(),
    canonicalPath(request.url.pathname),
    canonicalQueryOf(request.url.searchParams),
    signedHeaders.map((name) => `${name}:${headerValue(request, name).trim()}\n`).join(''),
    signedHeaders.join(';'),
    hex(createHash('sha256').update(request.body, 'utf8')),
  ].join('\n');
  const toSign = `${SDK_HMAC_SHA256}\n${date}\n${hex(createHash('sha256').update(canonical, 'utf8'))}`;
  return createHmac('sha256', secretKey).update(toSign, 'utf8').digest('hex');
}

export type SdkVerdict =
  | { readonly ok: true; readonly accessKey: string }
  | { readonly ok: false; readonly message: string };

/**
 * Checks an SDK-HMAC-SHA256 request: a well-formed Authorization, an X-Sdk-Date within the window
 * and signed, a known access key, and the signature. Messages follow the gateway's
 * "Incorrect IAM authentication information: …" texts (error code APIGW.0301).
 */
export function verifySdkRequest(
  request: SimRequest,
  secretOf: (accessKey: string) => string | undefined,
  now: number,
): SdkVerdict {
  const fail = (detail: string): SdkVerdict => ({
    ok: false,
    message: `Incorrect IAM authentication information: ${detail}`,
  });
  const parsed = parseSdkAuthorization(headerValue(request, 'authorization'));
  if (typeof parsed === 'string') return fail(parsed);
  const date = headerValue(request, 'x-sdk-date');
  const time = parseSdkDate(date);
  if (time === undefined) return fail("x-sdk-date is missing or not in YYYYMMDD'T'HHMMSS'Z' format");
  if (!parsed.signedHeaders.includes('x-sdk-date')) return fail('x-sdk-date must be a signed header');
  if (Math.abs(now - time) > SDK_DATE_WINDOW_MS) {
    return fail(`signature expired, signature time:${date},server time:${formatSdkDate(now)}`);
  }
  const secret = secretOf(parsed.accessKey);
  if (secret === undefined) return fail(`Get secretKey failed,ak:${parsed.accessKey},err:ak not exist`);
  const expected = expectedSignature(request, parsed.signedHeaders, date, secret);
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(parsed.signature, 'utf8');
  if (a.length !== b.length || !timingSafeEqual(a, b)) return fail('verify aksk signature fail');
  return { ok: true, accessKey: parsed.accessKey };
}

/** Percent-encodes every UTF-8 byte outside A-Z a-z 0-9 - _ . ~ (uppercase hex). */
function percentEncode(value: string): string {
  let encoded = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const unreserved =
      (byte >= 0x30 && byte <= 0x39) ||
      (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a) ||
      byte === 0x2d ||
      byte === 0x2e ||
      byte === 0x5f ||
      byte === 0x7e;
    encoded += unreserved
      ? String.fromCharCode(byte)
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

function canonicalPath(pathname: string): string {
  const path = pathname
    .split('/')
    .map((segment) => {
      try {
        return percentEncode(decodeURIComponent(segment));
      } catch {
        return percentEncode(segment);
      }
    })
    .join('/');
  return path.endsWith('/') ? path : `${path}/`;
}

function canonicalQueryOf(params: URLSearchParams): string {
  // Sorted by raw name, then raw value, in byte order, and escaped afterwards, as the SDKs do.
  const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
  return [...params]
    .sort(([a, x], [b, y]) => Buffer.compare(bytes(a), bytes(b)) || Buffer.compare(bytes(x), bytes(y)))
    .map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`)
    .join('&');
}

function headerValue(request: SimRequest, name: string): string {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

function hex(hash: ReturnType<typeof createHash>): string {
  return hash.digest('hex');
}
