import {
  ConnectorError,
  type HttpMethod,
  type HttpResponse,
  type HttpTransport,
} from '@slipstream/connector-core';
import type { Authorization, ServiceKind, SessionAccess } from './access.js';
import { errorFromResponse, unexpectedAnswer } from './errors.js';
import { serviceRoot } from './service-urls.js';
import { arrayOf, idOf, listOf, markerOf, nextLink, withIds } from './wire.js';

/**
 * One user's authenticated access to the compute, image and network services over core's
 * transport. Each request is sent to the service's root (from the endpoint resolver), with the
 * pinned Nova microversion on compute requests and the authenticator's credentials, added per
 * attempt through the transport's `sign` hook; a 401 answer makes the authenticator forget the token
 * that attempt carried and the request is sent once more. Error answers become
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
    if (
      response.status === 401 &&
      response.authorization !== undefined &&
      this.#options.access.authenticator.rejected(response.authorization)
    ) {
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

  /**
   * One request, authorized through the transport's `sign` hook: the authenticator is asked before
   * every attempt, so that a retry carries a renewed token or a fresh signature. The answer says
   * which authorization the last attempt carried, for a 401 to reject exactly that one.
   */
  async #send(
    request: ApiRequest,
    url: URL,
    headers: Readonly<Record<string, string>>,
    body: string | undefined,
  ): Promise<HttpResponse & { authorization: Authorization | undefined; secrets: readonly string[] }> {
    const { http, access } = this.#options;
    const { authenticator } = access;
    let authorization: Authorization | undefined;
    // Every attempt's token or signature, scrubbed from what the service may echo back.
    const secrets = [...authenticator.secrets];
    const response = await http.request({
      method: request.method,
      url,
      headers,
      body,
      signal: request.signal,
      idempotent: request.idempotent,
      secrets,
      acceptStatus: [401, ...(request.acceptStatus ?? [])],
      sign: async (outgoing, signal) => {
        const authorized = await authenticator.authorize(outgoing, signal);
        authorization = authorized;
        for (const secret of authorized.secrets) if (!secrets.includes(secret)) secrets.push(secret);
        return { headers: authorized.headers, secrets: authorized.secrets };
      },
      mapError: (answer) =>
        errorFromResponse(SERVICE_NAMES[request.service], request.operation, answer, secrets),
    });
    return { ...response, authorization, secrets };
  }
}

/**
 * Paged lists. Nova pages with `limit` and `marker` (the id of the last item seen) and says there
 * is more with a `rel: next` link in `<key>_links`; it caps `limit` at its `osapi_max_limit`
 * (1000 by default). Glance pages the same way but gives the next page as a `next` path
 * (`/v2/images?marker=...&limit=...`) relative to its root.
 */

/** Items asked for per page: Nova's default cap, so that one request usually does. */
export const PAGE_SIZE = 1000;

export interface NovaListing {
  readonly operation: string;
  /** Below the compute root: `/servers/detail`. */
  readonly path: string;
  /** The list's key: `servers`; its links are under `servers_links`. */
  readonly key: string;
  readonly query?: Readonly<Record<string, string | undefined>> | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Every page of a Nova list, in order, until Nova gives no next link. The items come as Nova sent
 * them: the caller reads them (strictly with {@link novaList}, or field by field).
 */
export async function* novaPages(
  client: OpenStackClient,
  listing: NovaListing,
): AsyncGenerator<readonly unknown[]> {
  let marker: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    const data = await client.json<unknown>({
      service: 'compute',
      operation: listing.operation,
      method: 'GET',
      path: listing.path,
      query: { ...listing.query, limit: PAGE_SIZE, marker },
      signal: listing.signal,
    });
    const items = arrayOf(data, listing.key, 'Nova', listing.operation);
    yield items;
    const next = nextLink(data, `${listing.key}_links`);
    if (next === undefined || items.length === 0) return;
    marker = markerOf(next) ?? idOf(items.at(-1));
    if (marker === undefined) {
      throw unexpectedAnswer(
        'Nova',
        listing.operation,
        'the next link has no marker and the last item no id',
      );
    }
    // A cloud that hands out the same marker twice would otherwise be paged forever.
    if (seen.has(marker)) {
      throw unexpectedAnswer('Nova', listing.operation, `the next link repeats marker ${marker}`);
    }
    seen.add(marker);
  }
}

/** A whole Nova list whose every item has an id; CLOUD_ERROR naming the operation otherwise. */
export async function novaList<T extends { readonly id: string }>(
  client: OpenStackClient,
  listing: NovaListing,
): Promise<T[]> {
  const all: T[] = [];
  for await (const page of novaPages(client, listing)) {
    all.push(...withIds<T>(page, listing.key, 'Nova', listing.operation));
  }
  return all;
}

/** A whole Nova list, its items as Nova sent them, for a caller that reads each tolerantly. */
export async function novaItems(client: OpenStackClient, listing: NovaListing): Promise<unknown[]> {
  const all: unknown[] = [];
  for await (const page of novaPages(client, listing)) all.push(...page);
  return all;
}

/**
 * The path below Glance's versioned root (`/images?marker=...`) of a `next` link, which Glance
 * writes below its unversioned root (`/v2/images?...`). An absolute link keeps only its path
 * from the version on, for the same reason as Nova's.
 */
export function glanceNextPath(next: string): string | undefined {
  let url: URL;
  try {
    url = new URL(next, 'http://placeholder');
  } catch {
    return undefined;
  }
  const match = /\/v2(?:\.\d+)?(\/.*)$/.exec(url.pathname);
  return match ? `${match[1]}${url.search}` : undefined;
}

/** Every page of a Glance list, following `next` until there is none. */
export async function* glancePages<T extends { readonly id: string }>(
  client: OpenStackClient,
  listing: {
    readonly operation: string;
    readonly key: string;
    readonly path: string;
    readonly signal?: AbortSignal | undefined;
  },
): AsyncGenerator<T[]> {
  let path = `${listing.path}?limit=${PAGE_SIZE}`;
  const seen = new Set<string>([path]);
  for (;;) {
    const data = await client.json<unknown>({
      service: 'image',
      operation: listing.operation,
      method: 'GET',
      path,
      signal: listing.signal,
    });
    yield listOf<T>(data, listing.key, 'Glance', listing.operation);
    const next = (data as { next?: unknown }).next;
    if (typeof next !== 'string' || next === '') return;
    const nextPath = glanceNextPath(next);
    if (nextPath === undefined) {
      throw unexpectedAnswer(
        'Glance',
        listing.operation,
        `the next link ${JSON.stringify(next)} is not below /v2`,
      );
    }
    if (seen.has(nextPath)) {
      throw unexpectedAnswer('Glance', listing.operation, `the next link ${JSON.stringify(next)} repeats`);
    }
    seen.add(nextPath);
    path = nextPath;
  }
}
