import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * CloudStack request signatures, as ApiServer.verifyRequest checks them: every parameter but
 * `signature`, sorted by name (Java's `Collections.sort`: case-sensitive, by UTF-16 code unit),
 * each written `name=value` with the value encoded by `java.net.URLEncoder` and `+` turned into
 * `%20`, joined with `&`, the whole string lowercased, then HMAC-SHA1 with the secret key, base64.
 * Clients that send lowercase names (all common ones do) get the same order the developer's guide
 * describes ("sorted by field", lowercased).
 */

/** `URLEncoder.encode(value, "UTF-8").replace("+", "%20")`: only `A-Za-z0-9.-*_` stay as they are. */
export function javaUrlEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()~]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The lowercased string CloudStack signs, from the parameters as the client sent them. */
export function stringToSign(params: Iterable<readonly [string, string]>): string {
  const entries = [...params].filter(([name]) => name.toLowerCase() !== 'signature');
  // Plain comparison, not localeCompare: Java's String.compareTo orders by code unit.
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries
    .map(([name, value]) => `${name}=${javaUrlEncode(value)}`)
    .join('&')
    .toLowerCase();
}

export function computeSignature(secret: string, params: Iterable<readonly [string, string]>): string {
  return createHmac('sha1', secret).update(stringToSign(params), 'utf8').digest('base64');
}

/** Constant-time comparison, as CloudStack's ConstantTimeComparator. */
export function signaturesMatch(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
