import type { OpenStackClient } from './client.js';
import { unexpectedAnswer } from './errors.js';
import { listOf, markerOf, nextLink } from './nova.js';

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

/** Every page of a Nova list, in order, until Nova gives no next link. */
export async function* novaPages<T extends { readonly id: string }>(
  client: OpenStackClient,
  listing: NovaListing,
): AsyncGenerator<T[]> {
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
    const items = listOf<T>(data, listing.key, 'Nova', listing.operation);
    yield items;
    const next = nextLink(data, `${listing.key}_links`);
    const last = items.at(-1);
    if (next === undefined || last === undefined) return;
    marker = markerOf(next) ?? last.id;
    // A cloud that hands out the same marker twice would otherwise be paged forever.
    if (seen.has(marker)) {
      throw unexpectedAnswer('Nova', listing.operation, `the next link repeats marker ${marker}`);
    }
    seen.add(marker);
  }
}

/** A whole Nova list. */
export async function novaList<T extends { readonly id: string }>(
  client: OpenStackClient,
  listing: NovaListing,
): Promise<T[]> {
  const all: T[] = [];
  for await (const page of novaPages<T>(client, listing)) all.push(...page);
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
