import { unexpectedAnswer } from './errors.js';

/**
 * The parts of Nova's and Glance's answers the connector reads (api-ref compute 2.47, image v2),
 * and checks that an answer has the shape the reference gives before anything is read from it.
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

/** `data[key]` as an array of objects with a string `id`; CLOUD_ERROR naming the operation otherwise. */
export function listOf<T extends { readonly id: string }>(
  data: unknown,
  key: string,
  service: string,
  operation: string,
): T[] {
  const list = isRecord(data) ? data[key] : undefined;
  if (!Array.isArray(list)) throw unexpectedAnswer(service, operation, `no "${key}" array`);
  for (const item of list) {
    if (!isRecord(item) || typeof item.id !== 'string' || item.id === '') {
      throw unexpectedAnswer(service, operation, `an item of "${key}" has no string "id"`);
    }
  }
  return list as T[];
}

/** `data[key]` as one object with a string `id`. */
export function itemOf<T extends { readonly id: string }>(
  data: unknown,
  key: string,
  service: string,
  operation: string,
): T {
  const item = isRecord(data) ? data[key] : undefined;
  if (!isRecord(item) || typeof item.id !== 'string' || item.id === '') {
    throw unexpectedAnswer(service, operation, `no "${key}" object with a string "id"`);
  }
  return item as T;
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
