import {
  ConnectorError,
  type HttpMethod,
  type HttpResponse,
  type HttpTransport,
} from '@slipstream/connector-core';
import type { Authorization, ServiceKind, SessionAccess } from './access.js';
import { errorFromResponse } from './errors.js';
import { serviceRoot } from './service-urls.js';

/**
 * One user's authenticated access to the compute, image and network services over core's
 * transport. Each request is sent to the service's root (from the endpoint resolver), with the
 * pinned Nova microversion on compute requests and the authenticator's credentials; a 401 answer
 * makes the authenticator forget its token and the request is sent once more. Error answers become
 * ConnectorErrors quoting the service, with the session's secrets scrubbed.
 */

const SERVICE_NAMES: Readonly<Record<ServiceKind, string>> = {
  compute: 'Nova',
  image: 'Glance',
  network: 'Neutron',
};

export interface ApiRequest {
  readonly service: ServiceKind;
  /** The api-ref operation, for messages: `list-servers-detail`. */
  readonly operation: string;
  readonly method: HttpMethod;
  /** Below the service's versioned root, encoded, may carry a query: `/servers/detail`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | undefined>> | undefined;
  /** Sent as JSON. */
  readonly body?: unknown;
  readonly signal?: AbortSignal | undefined;
  /** Statuses the caller handles itself (a 404 lookup, a 409 conflict): answered, not thrown. */
  readonly acceptStatus?: readonly number[] | undefined;
  /** Overrides the method's default: a POST action is not idempotent, a token request is. */
  readonly idempotent?: boolean | undefined;
}

export interface ApiAnswer<T> {
  readonly status: number;
  /** The parsed body of a 2xx answer with one; undefined otherwise. */
  readonly data: T | undefined;
  /** An accepted error status as the error it would have thrown, for callers that rethrow it. */
  readonly error: ConnectorError | undefined;
}

export interface OpenStackClientOptions {
  readonly http: HttpTransport;
  readonly access: SessionAccess;
  /** Nova microversion sent with every compute request. */
  readonly microversion: string;
}

export class OpenStackClient {
  readonly #options: OpenStackClientOptions;

  constructor(options: OpenStackClientOptions) {
    this.#options = options;
  }

  /** The versioned root of a service: `https://nova.example.com/v2.1/<project>`. */
  async root(service: ServiceKind, signal?: AbortSignal): Promise<string> {
    return serviceRoot(service, await this.#options.access.endpoints.endpoint(service, signal));
  }

  async call<T>(request: ApiRequest): Promise<ApiAnswer<T>> {
    const url = new URL(`${await this.root(request.service, request.signal)}${request.path}`);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (request.service === 'compute') {
      // Both spellings: the legacy header every Nova reads, and the standard one (from 2.27).
      headers['x-openstack-nova-api-version'] = this.#options.microversion;
      headers['openstack-api-version'] = `compute ${this.#options.microversion}`;
    }
    let response = await this.#send(request, url, headers, body);
    if (response.status === 401 && this.#options.access.authenticator.rejected(response.authorization)) {
      // The token expired or was revoked since it was issued: authenticate again, once. Safe for
      // any request: a 401 is keystonemiddleware refusing it before the service saw it.
      response = await this.#send(request, url, headers, body);
    }
    const { secrets } = response;
    const error =
      response.status >= 300
        ? errorFromResponse(SERVICE_NAMES[request.service], request.operation, response, secrets)
        : undefined;
    if (error !== undefined) {
      // The transport hands back 3xx answers (it follows no redirects) and the statuses we accept.
      if (response.status === 401 || !request.acceptStatus?.includes(response.status)) throw error;
      return { status: response.status, data: undefined, error };
    }
    const data = response.body.trim() === '' ? undefined : response.json<T>();
    return { status: response.status, data, error: undefined };
  }

  /** A call whose answer must be 2xx with a JSON body. */
  async json<T>(request: Omit<ApiRequest, 'acceptStatus'>): Promise<T> {
    const answer = await this.call<T>(request);
    if (answer.data === undefined) {
      throw new ConnectorError(
        'CLOUD_ERROR',
        `${SERVICE_NAMES[request.service]} ${request.operation} answered ${answer.status} without a body.`,
      );
    }
    return answer.data;
  }

  async #send(
    request: ApiRequest,
    url: URL,
    headers: Readonly<Record<string, string>>,
    body: string | undefined,
  ): Promise<HttpResponse & { authorization: Authorization; secrets: readonly string[] }> {
    const { http, access } = this.#options;
    const authorization = await access.authenticator.authorize(
      { method: request.method, url, headers, body },
      request.signal,
    );
    const secrets = [...access.authenticator.secrets, ...authorization.secrets];
    const response = await http.request({
      method: request.method,
      url,
      headers: { ...headers, ...authorization.headers },
      body,
      signal: request.signal,
      idempotent: request.idempotent,
      secrets,
      acceptStatus: [401, ...(request.acceptStatus ?? [])],
      mapError: (answer) =>
        errorFromResponse(SERVICE_NAMES[request.service], request.operation, answer, secrets),
    });
    return { ...response, authorization, secrets };
  }
}
