import type {
  ConnectorError,
  HttpMethod,
  HttpResponse,
  HttpTransport,
  OutgoingRequest,
  Signature,
} from '@slipstream/connector-core';
import { errorFromResponse } from './errors.js';
import { signRequest } from './signing.js';

/**
 * One user's signed access to one zone's API v2 endpoint, over core's transport. The client builds
 * the envelope (URL, JSON body, headers) and hands the transport its signer: the transport signs
 * every attempt afresh, so a retry carries an expiry counted from when it is sent, and scrubs the
 * secret and each signature from events and errors. Error answers become ConnectorErrors quoting
 * Exoscale's message.
 */

export interface ClientOptions {
  readonly http: HttpTransport;
  /** API v2 base URL without a trailing slash, e.g. https://api-ch-gva-2.exoscale.com/v2. */
  readonly endpoint: string;
  readonly key: string;
  readonly secret: string;
  readonly signatureValiditySeconds: number;
  /** Where signing reads the time; Date.now by default. */
  readonly now?: (() => number) | undefined;
}

export interface ApiRequest {
  /** The operation id, for messages: `create-instance`. */
  readonly operation: string;
  readonly method: HttpMethod;
  /** Below the endpoint, already encoded: `/instance/<id>:start`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>> | undefined;
  /** Sent as JSON. */
  readonly body?: unknown;
  readonly signal?: AbortSignal | undefined;
  /** Statuses the caller handles itself (404 of a lookup, say): answered, not thrown. */
  readonly acceptStatus?: readonly number[] | undefined;
}

export interface ApiAnswer<T> {
  readonly status: number;
  /** The parsed body of a 2xx answer; undefined for an accepted error status. */
  readonly data: T | undefined;
  /** An accepted error status as the error it would have thrown, for callers that rethrow it. */
  readonly error: ConnectorError | undefined;
}

export class ExoscaleClient {
  readonly #options: ClientOptions;

  constructor(options: ClientOptions) {
    this.#options = options;
  }

  async call<T>(request: ApiRequest): Promise<ApiAnswer<T>> {
    const { http, endpoint, secret } = this.#options;
    const url = new URL(`${endpoint}${request.path}`);
    for (const [name, value] of Object.entries(request.query ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
      url.searchParams.set(name, value);
    }
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const response: HttpResponse = await http.request({
      method: request.method,
      url,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body,
      signal: request.signal,
      sign: (outgoing) => this.#sign(outgoing),
      secrets: [secret],
      acceptStatus: request.acceptStatus,
      mapError: (answer) => errorFromResponse(request.operation, answer),
    });
    if (response.status >= 300) {
      const error = errorFromResponse(request.operation, response);
      // The transport hands back 3xx answers (it follows no redirects): unless the caller asked
      // for this status, it is a failure, not an answer without data.
      if (!request.acceptStatus?.includes(response.status)) throw error;
      return { status: response.status, data: undefined, error };
    }
    return { status: response.status, data: response.json<T>(), error: undefined };
  }

  /** The EXO2-HMAC-SHA256 Authorization header of one attempt, expiring the configured time after now. */
  #sign(outgoing: OutgoingRequest): Signature {
    const { key, secret, signatureValiditySeconds } = this.#options;
    const now = this.#options.now?.() ?? Date.now();
    const { authorization, signature } = signRequest(key, secret, {
      method: outgoing.method,
      path: outgoing.url.pathname,
      query: outgoing.url.searchParams,
      body: typeof outgoing.body === 'string' ? outgoing.body : textOf(outgoing.body),
      expires: Math.floor(now / 1000) + signatureValiditySeconds,
    });
    return { headers: { authorization }, secrets: [signature] };
  }

  /** A call whose answer must be 2xx with a body. */
  async json<T>(request: Omit<ApiRequest, 'acceptStatus'>): Promise<T> {
    const answer = await this.call<T>(request);
    return answer.data as T;
  }
}

/** The body as the signature covers it: the bytes sent, read as UTF-8 like Exoscale reads them. */
function textOf(body: Uint8Array | undefined): string | undefined {
  return body === undefined ? undefined : Buffer.from(body).toString('utf8');
}
