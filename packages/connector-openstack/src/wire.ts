import { readId } from '@slipstream/connector-core';
import { unexpectedAnswer } from './errors.js';

/**
 * The parts of Nova's, Glance's and Neutron's answers the connector reads (api-ref compute 2.47,
 * image v2, network v2.0), and readers of them. Ids are read with core's `readId`, so a number
 * stands for a string id; Nova's servers are read field by field through core's `WireReader`
 * (vm.ts), so that one odd server does not fail a listing.
 */

export interface NovaAddress {
  readonly addr: string;
  readonly version?: number;
  /** fixed or floating. */
  readonly 'OS-EXT-IPS:type'?: string;
}

/** From 2.47 the flavor is embedded (original_name, vcpus, ram...); before, it is `{ id, links }`. */
export interface NovaServerFlavor {
  readonly id?: string;
  readonly original_name?: string;
  readonly vcpus?: number;
  readonly ram?: number;
  readonly disk?: number;
}

export interface NovaServer {
  readonly id: string;
  readonly name?: string;
  readonly status?: string;
  readonly 'OS-EXT-STS:task_state'?: string | null;
  readonly 'OS-EXT-STS:vm_state'?: string;
  readonly addresses?: Readonly<Record<string, readonly NovaAddress[]>>;
  /** `""` for a server booted from a volume. */
  readonly image?: { readonly id?: string } | string;
  readonly flavor?: NovaServerFlavor;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly 'OS-EXT-AZ:availability_zone'?: string;
  readonly created?: string;
  readonly key_name?: string | null;
  readonly accessIPv4?: string;
  readonly accessIPv6?: string;
}

export interface NovaLink {
  readonly rel?: string;
  readonly href?: string;
}

export interface NovaFlavor {
  readonly id: string;
  readonly name: string;
  readonly vcpus?: number;
  readonly ram?: number;
  readonly disk?: number;
  readonly 'OS-FLV-DISABLED:disabled'?: boolean;
}

export interface NovaKeyPair {
  readonly name: string;
  readonly public_key?: string;
  readonly fingerprint?: string;
}

export interface NeutronPort {
  readonly id: string;
  readonly network_id?: string;
}

export interface GlanceImage {
  readonly id: string;
  readonly name?: string | null;
  readonly status?: string;
  readonly visibility?: string;
  readonly os_distro?: string;
  readonly os_version?: string;
  readonly description?: string;
  readonly min_disk?: number;
  readonly created_at?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The id of one item of an answer: a string as is, an integer as its decimal string (older
 * Nova-compatible clouds answer `"id": 12065` where the API reference documents a string).
 */
export function idOf(item: unknown): string | undefined {
  return isRecord(item) ? readId(item.id) : undefined;
}

/** The item with its id read by {@link idOf}; undefined when it has none. */
export function withId<T extends { readonly id: string }>(item: unknown): T | undefined {
  const id = idOf(item);
  return id === undefined ? undefined : ({ ...(item as Record<string, unknown>), id } as unknown as T);
}

/** `data[key]` as an array, its items as the cloud sent them; CLOUD_ERROR naming the operation otherwise. */
export function arrayOf(data: unknown, key: string, service: string, operation: string): readonly unknown[] {
  const list = isRecord(data) ? data[key] : undefined;
  if (!Array.isArray(list)) throw unexpectedAnswer(service, operation, `no "${key}" array`);
  return list;
}

/** Items that must each have an id, read by {@link idOf}; CLOUD_ERROR naming the operation otherwise. */
export function withIds<T extends { readonly id: string }>(
  items: readonly unknown[],
  key: string,
  service: string,
  operation: string,
): T[] {
  return items.map((item) => {
    const read = withId<T>(item);
    if (read === undefined) throw unexpectedAnswer(service, operation, `an item of "${key}" has no "id"`);
    return read;
  });
}

/** `data[key]` as an array of objects with an id (read by {@link idOf}); CLOUD_ERROR otherwise. */
export function listOf<T extends { readonly id: string }>(
  data: unknown,
  key: string,
  service: string,
  operation: string,
): T[] {
  return withIds<T>(arrayOf(data, key, service, operation), key, service, operation);
}

/** `data[key]` as one object with an id (read by {@link idOf}); CLOUD_ERROR otherwise. */
export function itemOf<T extends { readonly id: string }>(
  data: unknown,
  key: string,
  service: string,
  operation: string,
): T {
  const item = withId<T>(isRecord(data) ? data[key] : undefined);
  if (item === undefined) throw unexpectedAnswer(service, operation, `no "${key}" object with an "id"`);
  return item;
}

/** The `rel: next` link of a Nova list (`servers_links`, `flavors_links`), if there is one. */
export function nextLink(data: unknown, key: string): string | undefined {
  const links = isRecord(data) ? data[key] : undefined;
  if (!Array.isArray(links)) return undefined;
  const next = links.find((link): link is NovaLink => isRecord(link) && link.rel === 'next');
  return typeof next?.href === 'string' && next.href !== '' ? next.href : undefined;
}

/**
 * The marker a Nova next link carries, or undefined. Nova builds the link from the request's
 * host, which behind a proxy may not be reachable: only its marker is used.
 */
export function markerOf(href: string): string | undefined {
  try {
    return new URL(href, 'http://placeholder').searchParams.get('marker') ?? undefined;
  } catch {
    return undefined;
  }
}
