import {
  askTogether,
  ConnectorError,
  type HttpResponse,
  type HttpTransport,
} from '@slipstream/connector-core';
import { errorFromResponse, failureError, failureIn } from './errors.js';
import { encodeParams, signRequest } from './signing.js';

/**
 * One user's CloudStack API client over core's HTTP transport: unwraps the `<command>response`
 * envelope, turns error envelopes into ConnectorErrors, and pages through list commands. The
 * transport's `sign` hook signs each attempt (signing.ts), so that a retry carries a fresh expiry.
 */

export type Json = Record<string, unknown>;

export interface CloudStackAnswer {
  /** The content of the `<command>response` envelope. */
  readonly value: Json;
  /** The management server's clock when it answered (the `Date` header), epoch ms. */
  readonly serverTime: number | undefined;
}

export interface ClientOptions {
  readonly http: HttpTransport;
  /** The API URL, e.g. https://cloud.example.com/client/api. */
  readonly endpoint: string;
  readonly apiKey: string;
  readonly secretKey: string;
  /** Lifetime of a signature (signatureVersion=3); 0 signs without an expiry. */
  readonly signatureExpiryMs: number;
  /** Items per page of list commands. */
  readonly pageSize: number;
  /**
   * Pages of one list asked at once after the first; the instance's `max.iaas.workers` (default
   * 5), which the transport also caps across all of the instance's requests.
   */
  readonly pageWorkers?: number | undefined;
  /** Local clock for `expires`; Date.now by default. */
  readonly now?: (() => number) | undefined;
}

export interface RequestOptions {
  readonly signal?: AbortSignal | undefined;
  /** POST carries large parameters (user data) in the body; GET is the default. */
  readonly method?: 'GET' | 'POST' | undefined;
  /**
   * Whether repeating the call is harmless; by default list and query commands are, and commands
   * that change something are not, whatever the HTTP method.
   */
  readonly idempotent?: boolean | undefined;
}

export type Params = Readonly<Record<string, string | number | boolean | undefined>>;

/** A list command's items over every page. */
export interface Listing {
  readonly items: Json[];
  /** The `count` CloudStack reported: matches across all pages. */
  readonly count: number;
}

/** A UTF-16 surrogate without its pair: text no URL encoding can carry. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Pages a list walks at most: a guard against a server whose `count` never comes true. */
const MAX_PAGES = 10_000;

export class CloudStackClient {
  readonly #options: ClientOptions;
  #pageSize: number;

  constructor(options: ClientOptions) {
    this.#options = options;
    this.#pageSize = options.pageSize;
  }

  /** Items per page: the configured size, or the cloud's smaller limit once it said so. */
  get pageSize(): number {
    return this.#pageSize;
  }

  /** Requests of one listing asked together: the instance's `max.iaas.workers`. */
  get workers(): number {
    return this.#options.pageWorkers ?? 5;
  }

  async request(
    command: string,
    params: Params = {},
    options: RequestOptions = {},
  ): Promise<CloudStackAnswer> {
    const { http, endpoint, apiKey, secretKey, signatureExpiryMs } = this.#options;
    const unsigned: Record<string, string> = { command };
    for (const [name, value] of Object.entries(params)) {
      if (value === undefined) continue;
      const text = String(value);
      if (LONE_SURROGATE.test(text)) {
        // encodeURIComponent would throw a bare URIError while signing.
        throw new ConnectorError(
          'INVALID_REQUEST',
          `Parameter "${name}" of CloudStack ${command} is not valid Unicode text (it contains a lone surrogate); fix the value, e.g. a VM name or tag cut in the middle of an emoji.`,
        );
      }
      unsigned[name.toLowerCase()] = text;
    }
    unsigned.response = 'json';
    const encoded = encodeParams(unsigned);
    const method = options.method ?? 'GET';
    const idempotent = options.idempotent ?? /^(list|query)/.test(command);
    const keys = { apiKey, secretKey, expiryMs: signatureExpiryMs };
    const now = this.#options.now ?? Date.now;
    const response = await http.request({
      method,
      // A POST names its command in the URL too, so that logs and errors say what was called.
      url: method === 'GET' ? `${endpoint}?${encoded}` : `${endpoint}?command=${encodeURIComponent(command)}`,
      headers:
        method === 'POST'
          ? { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }
          : { accept: 'application/json' },
      body: method === 'POST' ? encoded : undefined,
      idempotent,
      signal: options.signal,
      secrets: [secretKey],
      sign: (outgoing) => signRequest(outgoing, keys, now()),
      mapError: (failed) => errorFromResponse(command, failed),
    });
    return { value: unwrap(command, response), serverTime: serverTimeOf(response) };
  }

  /**
   * Every item of a list command. The first page says how many items there are (`count`); the
   * pages after it are then asked together, at most `pageWorkers` at a time, so that a long list
   * costs a few round trips rather than one per page. A cloud whose `default.page.size` is below
   * ours says so in a 431 to the first page; the list then goes on with its size.
   *
   * The list may change while it is read. Items keep page order, an item seen on two pages (the
   * list grew in front of it) is kept once, an empty page ends the list, and should the last
   * planned page be full while the cloud now counts more, the pages after it are asked one by one
   * as before. A failed page fails the list: the pages still in flight are cancelled and awaited.
   */
  async list(command: string, params: Params, key: string, options: RequestOptions = {}): Promise<Listing> {
    const ask = (page: number, signal: AbortSignal | undefined): Promise<Json> =>
      this.request(command, { ...params, page, pagesize: this.#pageSize }, { ...options, signal }).then(
        (answer) => answer.value,
      );
    let first: Json;
    for (;;) {
      try {
        first = await ask(1, options.signal);
        break;
      } catch (error) {
        const cap = pageSizeCap(error);
        if (cap === undefined || cap >= this.#pageSize) throw error;
        this.#pageSize = cap;
      }
    }
    const listing = new ListingBuilder(key);
    listing.add(first);
    if (listing.done) return listing.result();

    const planned = Math.min(MAX_PAGES, Math.ceil(listing.count / this.#pageSize));
    const pages = await askTogether(planned - 1, this.workers, options.signal, (index, signal) =>
      ask(index + 2, signal),
    );
    for (const value of pages) {
      listing.add(value);
      if (listing.done) return listing.result();
    }
    for (let page = planned + 1; page <= MAX_PAGES && !listing.done; page += 1) {
      listing.add(await ask(page, options.signal));
    }
    return listing.result();
  }
}

/** A list's items as its pages come in page order: counted, and kept once per id (and zone). */
class ListingBuilder {
  readonly #key: string;
  readonly #items: Json[] = [];
  /** Ids seen, per zone id: listTemplates answers a template once per zone under the same id. */
  readonly #seen = new Map<unknown, Set<unknown>>();
  /** The zone of the latest item and its ids: a page's items come zone after zone. */
  #zone: unknown;
  #zoneIds: Set<unknown> | undefined;
  #count = 0;
  #ended = false;

  constructor(key: string) {
    this.#key = key;
  }

  /** The `count` of the latest page. */
  get count(): number {
    return this.#count;
  }

  /** `{}` (nothing matches) or an empty page ends the list as surely as reaching `count`. */
  get done(): boolean {
    return this.#ended || this.#items.length >= this.#count;
  }

  add(value: Json): void {
    const items = arrayOf(value[this.#key]);
    this.#count = Math.max(0, Number(value.count) || 0);
    if (items.length === 0) this.#ended = true;
    for (const item of items) {
      if (item.id !== undefined) {
        const ids = this.#idsIn(item.zoneid);
        const seen = ids.size;
        if (ids.add(item.id).size === seen) continue;
      }
      this.#items.push(item);
    }
  }

  #idsIn(zone: unknown): Set<unknown> {
    if (this.#zoneIds !== undefined && zone === this.#zone) return this.#zoneIds;
    let ids = this.#seen.get(zone);
    if (ids === undefined) {
      ids = new Set();
      this.#seen.set(zone, ids);
    }
    this.#zone = zone;
    this.#zoneIds = ids;
    return ids;
  }

  result(): Listing {
    return { items: this.#items, count: Math.max(this.#count, this.#items.length) };
  }
}

/** The cloud's page size limit from BaseListCmd's 431 ("Page size can't exceed max allowed page size value: 100"). */
function pageSizeCap(error: unknown): number | undefined {
  if (!ConnectorError.hasCode(error, 'INVALID_REQUEST')) return undefined;
  const match = /max allowed page size value: (\d+)/.exec(error.message);
  const cap = match ? Number(match[1]) : Number.NaN;
  return Number.isSafeInteger(cap) && cap > 0 ? cap : undefined;
}

/** The objects of a list field; CloudStack leaves the field out when the list is empty. */
export function arrayOf(value: unknown): Json[] {
  return Array.isArray(value)
    ? value.filter((item): item is Json => typeof item === 'object' && item !== null)
    : [];
}

function unwrap(command: string, response: HttpResponse): Json {
  const body = response.json<unknown>();
  const failure = failureIn(body);
  if (failure) throw failureError(failure, { command, status: response.status });
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const record = body as Json;
    const named = record[`${command.toLowerCase()}response`];
    const keys = Object.keys(record);
    const inner = named ?? (keys.length === 1 ? record[keys[0] as string] : undefined);
    if (typeof inner === 'object' && inner !== null && !Array.isArray(inner)) return inner as Json;
  }
  throw new ConnectorError(
    'CLOUD_ERROR',
    `CloudStack ${command} answered ${response.status} without the expected ${command.toLowerCase()}response object; is the endpoint a CloudStack API URL (…/client/api)?`,
    { status: response.status },
  );
}

function serverTimeOf(response: HttpResponse): number | undefined {
  const date = response.headers.date;
  const time = date === undefined ? Number.NaN : Date.parse(date);
  return Number.isNaN(time) ? undefined : time;
}
