import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Exoscale API v2 request signatures (EXO2-HMAC-SHA256), as the API reference's "API Request
 * Signature" topic and egoscale's security provider define them. The message is five segments
 * joined by "\n": `METHOD path`, the body, the values of the signed query parameters concatenated
 * in the order the header lists them, the signed header values (none), and the expiry as Unix
 * seconds. The signature is base64(HMAC-SHA256(secret, message)).
 */

export const EXO2_SCHEME = 'EXO2-HMAC-SHA256';

export interface SignedParts {
  readonly method: string;
  /** The request path only, e.g. `/v2/instance/<id>:start` (see signablePaths for its forms). */
  readonly path: string;
  readonly body: string;
  /** The signed query parameters' values, concatenated without separator. */
  readonly queryValues: string;
  /** Unix seconds. */
  readonly expires: number;
}

export function exoscaleSignature(secret: string, parts: SignedParts): string {
  const message = [`${parts.method} ${parts.path}`, parts.body, parts.queryValues, '', String(parts.expires)];
  return createHmac('sha256', secret).update(message.join('\n'), 'utf8').digest('base64');
}

export interface Exo2Authorization {
  readonly credential: string;
  /** Query parameter names, in the order their values were concatenated. */
  readonly signedQueryArgs: readonly string[];
  readonly expires: number;
  readonly signature: string;
}

/** Parses an Authorization header; a string says what is wrong with it. */
export function parseAuthorization(header: string | undefined): Exo2Authorization | string {
  if (header === undefined || header.trim() === '') return 'Missing Authorization header';
  const prefix = `${EXO2_SCHEME} `;
  if (!header.startsWith(prefix)) return `Unsupported authorization scheme: expected ${EXO2_SCHEME}`;
  const pragmas = new Map<string, string>();
  for (const part of header.slice(prefix.length).split(',')) {
    const equals = part.indexOf('=');
    if (equals <= 0) return 'Malformed Authorization header';
    pragmas.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  const credential = pragmas.get('credential');
  const expires = pragmas.get('expires');
  const signature = pragmas.get('signature');
  if (!credential || !expires || !signature) {
    return 'Malformed Authorization header: credential, expires and signature are required';
  }
  if (!/^\d{1,12}$/.test(expires)) return 'Malformed Authorization header: expires must be a Unix timestamp';
  const args = pragmas.get('signed-query-args');
  return {
    credential,
    signedQueryArgs: args ? args.split(';').filter((name) => name !== '') : [],
    expires: Number(expires),
    signature,
  };
}

/**
 * The values of the signed query parameters, concatenated; undefined when one of them is absent
 * or repeated, which no client can have signed (egoscale signs single-valued parameters only).
 */
export function signedQueryValues(query: URLSearchParams, names: readonly string[]): string | undefined {
  let values = '';
  for (const name of names) {
    const all = query.getAll(name);
    if (all.length !== 1) return undefined;
    values += all[0];
  }
  return values;
}

/** Constant-time comparison of two base64 signatures. */
export function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The percent-decoded path, or the path as given when one of its escapes is malformed. */
export function decodedPath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

/**
 * The forms of the path a client may have signed. Exoscale's own clients disagree: egoscale v2
 * signs Go's `URL.Path` (percent-decoded), egoscale v3 `URL.EscapedPath()` and
 * requests-exoscale-auth the raw path (as sent). They differ only when the path holds an escape
 * such as `%3A`, and the API serves both clients, so either form is accepted.
 */
export function signablePaths(pathname: string): string[] {
  return [...new Set([pathname, decodedPath(pathname)])];
}
