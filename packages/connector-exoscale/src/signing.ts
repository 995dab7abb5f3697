import { createHmac } from 'node:crypto';

/**
 * EXO2-HMAC-SHA256, the Exoscale API v2 request signature (API reference, "API Request
 * Signature"; egoscale's v2/api/security.go). The signed message is five lines:
 *
 *     METHOD /path
 *     body
 *     values of the signed query parameters, sorted by name, concatenated
 *     signed header values (none)
 *     expiry, in Unix seconds
 *
 * and travels as `Authorization: EXO2-HMAC-SHA256 credential=<key>[,signed-query-args=a;b],
 * expires=<unix>,signature=<base64 HMAC-SHA256(secret, message)>`.
 */

export const EXO2_SCHEME = 'EXO2-HMAC-SHA256';

export interface RequestToSign {
  readonly method: string;
  /** The URL's path as sent; it is signed percent-decoded, as Go's `URL.Path` reads it. */
  readonly path: string;
  readonly query?: URLSearchParams | undefined;
  readonly body?: string | undefined;
  /** Unix seconds after which Exoscale refuses the request. */
  readonly expires: number;
}

export interface Signed {
  /** The Authorization header value. */
  readonly authorization: string;
  /** The signature alone, to be scrubbed from logs and errors like the secret. */
  readonly signature: string;
}

/**
 * The parameters that are signed, sorted by name with their values: those with exactly one value.
 * egoscale leaves repeated parameters out, and the server checks what the header lists.
 */
export function signedQuery(query: URLSearchParams | undefined): [string, string][] {
  if (!query) return [];
  const names = [...new Set(query.keys())].filter((name) => query.getAll(name).length === 1);
  // Go's sort.Strings orders by bytes; for the ASCII names of the API this is the same as
  // comparing UTF-16 code units, which is what the default sort does.
  names.sort();
  return names.map((name) => [name, query.get(name) ?? '']);
}

export function signRequest(key: string, secret: string, request: RequestToSign): Signed {
  const query = signedQuery(request.query);
  const message = [
    `${request.method.toUpperCase()} ${decodePath(request.path)}`,
    request.body ?? '',
    query.map(([, value]) => value).join(''),
    '',
    String(request.expires),
  ].join('\n');
  const signature = createHmac('sha256', secret).update(message, 'utf8').digest('base64');
  const pragmas = [
    `credential=${key}`,
    ...(query.length > 0 ? [`signed-query-args=${query.map(([name]) => name).join(';')}`] : []),
    `expires=${request.expires}`,
    `signature=${signature}`,
  ];
  return { authorization: `${EXO2_SCHEME} ${pragmas.join(',')}`, signature };
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
