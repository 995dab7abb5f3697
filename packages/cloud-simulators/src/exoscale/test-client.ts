import type { SimRequest } from '../server/frontend.js';
import { decodedPath, EXO2_SCHEME, exoscaleSignature } from './signature.js';

/**
 * A bare EXO2-HMAC-SHA256 client for the simulator's own tests: it signs the way egoscale does
 * (every single-valued query parameter, sorted by name) and nothing else. Not exported from the
 * package.
 */

export interface Credentials {
  readonly key: string;
  readonly secret: string;
}

export interface SignOptions {
  readonly method?: string;
  readonly query?: Readonly<Record<string, string>>;
  /** An object is sent as JSON. */
  readonly body?: unknown;
  /** Unix seconds; default ten minutes after `now`. */
  readonly expires?: number;
  /** Epoch milliseconds the default expiry counts from; default Date.now(). */
  readonly now?: number;
  /** Which form of the path to sign: decoded as egoscale v2 does (default), or as sent as v3 does. */
  readonly pathForm?: 'decoded' | 'as-sent';
}

export interface SignedRequest {
  readonly method: string;
  readonly url: URL;
  readonly body: string;
  readonly authorization: string;
}

export function signRequest(
  baseUrl: string,
  path: string,
  credentials: Credentials,
  options: SignOptions = {},
): SignedRequest {
  const method = options.method ?? 'GET';
  const url = new URL(`${baseUrl}${path}`);
  const names = Object.keys(options.query ?? {}).sort();
  for (const name of names) url.searchParams.set(name, options.query?.[name] ?? '');
  const body =
    options.body === undefined
      ? ''
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const expires = options.expires ?? Math.floor((options.now ?? Date.now()) / 1000) + 600;
  const signature = exoscaleSignature(credentials.secret, {
    method,
    path: options.pathForm === 'as-sent' ? url.pathname : decodedPath(url.pathname),
    body,
    queryValues: names.map((name) => options.query?.[name] ?? '').join(''),
    expires,
  });
  const pragmas = [
    `credential=${credentials.key}`,
    ...(names.length > 0 ? [`signed-query-args=${names.join(';')}`] : []),
    `expires=${expires}`,
    `signature=${signature}`,
  ];
  return { method, url, body, authorization: `${EXO2_SCHEME} ${pragmas.join(',')}` };
}

/** The signed request as the front-end receives it, for tests without HTTP. */
export function simRequest(signed: SignedRequest, headers: Record<string, string> = {}): SimRequest {
  return {
    method: signed.method,
    url: signed.url,
    headers: { authorization: signed.authorization, host: signed.url.host, ...headers },
    body: signed.body,
  };
}

export interface JsonAnswer {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the simulator answered.
  readonly body: any;
}

/** Sends a signed request over HTTP and parses the JSON answer. */
export async function exoscaleFetch(
  baseUrl: string,
  path: string,
  credentials: Credentials,
  options: SignOptions = {},
): Promise<JsonAnswer> {
  const signed = signRequest(baseUrl, path, credentials, options);
  const response = await fetch(signed.url, {
    method: signed.method,
    headers: { authorization: signed.authorization, 'content-type': 'application/json' },
    ...(signed.body === '' ? {} : { body: signed.body }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : JSON.parse(text),
  };
}
