import { createHmac } from 'node:crypto';
import type { OutgoingRequest, Signature } from '@slipstream/connector-core';

/**
 * CloudStack request signing ("Signing API Requests" in the developer's guide): every parameter
 * but `signature`, sorted by name, each `name=value` with the value URL-encoded as Java's
 * URLEncoder does and spaces as `%20`, joined with `&`, the whole string lowercased, HMAC-SHA1 with
 * the secret key, base64. Names are sent lowercase, so sorting them needs no case rule: the
 * management server sorts the names as sent, the guide sorts lowercased ones, and both agree.
 */

export type SignedParams = Readonly<Record<string, string>>;

/** `java.net.URLEncoder.encode(value, "UTF-8")` with `+` written `%20`: only `A-Za-z0-9.-*_` stay. */
export function javaUrlEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()~]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The string that is signed: sorted, encoded, joined and lowercased. */
export function stringToSign(params: SignedParams): string {
  return Object.keys(params)
    .filter((name) => name.toLowerCase() !== 'signature')
    .map((name) => [name.toLowerCase(), params[name] as string] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${javaUrlEncode(value)}`)
    .join('&')
    .toLowerCase();
}

/** The base64 HMAC-SHA1 signature of the parameters with the secret key. */
export function signature(secretKey: string, params: SignedParams): string {
  return createHmac('sha1', secretKey).update(stringToSign(params), 'utf8').digest('base64');
}

/** Parameters as a query string or form body, encoded the way they were signed. */
export function encodeParams(params: SignedParams): string {
  return Object.entries(params)
    .map(([name, value]) => `${javaUrlEncode(name)}=${javaUrlEncode(value)}`)
    .join('&');
}

/** CloudStack's `expires` format, `yyyy-MM-dd'T'HH:mm:ssZ` in UTC: `2026-01-01T00:10:00+0000`. */
export function formatExpires(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}+0000`;
}

export interface SigningKeys {
  readonly apiKey: string;
  readonly secretKey: string;
  /** Lifetime of a signature (signatureVersion=3); 0 signs without an expiry. */
  readonly expiryMs: number;
}

/**
 * Signs one attempt of a CloudStack request, as the transport's `sign` hook: adds `apikey` (and
 * `signatureversion=3` with `expires`, `now` plus the lifetime) to the parameters, which travel in
 * the query of a GET and in the form body of a POST, and appends their signature. `now` is the
 * local clock when the attempt leaves, so that a retried request gets a fresh expiry.
 */
export function signRequest(request: OutgoingRequest, keys: SigningKeys, now: number): Signature {
  const inBody = request.method === 'POST';
  const params: Record<string, string> = {};
  for (const [name, value] of inBody ? formParams(request.body) : request.url.searchParams) {
    params[name] = value;
  }
  params.apikey = keys.apiKey;
  if (keys.expiryMs > 0) {
    params.signatureversion = '3';
    params.expires = formatExpires(now + keys.expiryMs);
  }
  const sig = signature(keys.secretKey, params);
  const encoded = encodeParams({ ...params, signature: sig });
  if (inBody) return { body: encoded, secrets: [sig] };
  const url = new URL(request.url);
  url.search = `?${encoded}`;
  return { url, secrets: [sig] };
}

function formParams(body: string | Uint8Array | undefined): URLSearchParams {
  if (body === undefined) return new URLSearchParams();
  return new URLSearchParams(typeof body === 'string' ? body : Buffer.from(body).toString('utf8'));
}
