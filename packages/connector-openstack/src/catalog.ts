import { type Image, raceSignal, type Size, type Zone } from '@slipstream/connector-core';
import { glancePages, novaList, type OpenStackClient } from './client.js';
import { unexpectedAnswer } from './errors.js';
import type { GlanceImage, NovaFlavor } from './wire.js';

/**
 * What a user can launch: Glance images, Nova flavors and availability zones.
 */

/** Active images only: Nova refuses to boot a queued, saving or deactivated one. */
export async function listImages(client: OpenStackClient, signal?: AbortSignal): Promise<GlanceImage[]> {
  const images: GlanceImage[] = [];
  for await (const page of glancePages<GlanceImage>(client, {
    operation: 'list-images',
    key: 'images',
    path: '/images',
    signal,
  })) {
    images.push(...page.filter((image) => image.status === undefined || image.status === 'active'));
  }
  return images;
}

export function toImage(image: GlanceImage): Image {
  const os = [image.os_distro, image.os_version].filter((part) => typeof part === 'string' && part !== '');
  return {
    id: image.id,
    name: typeof image.name === 'string' ? image.name : '',
    ...(typeof image.description === 'string' && image.description !== ''
      ? { description: image.description }
      : {}),
    ...(os.length > 0 ? { os: os.join(' ') } : {}),
  };
}

/** Flavors the project may use, disabled ones left out (Nova refuses to boot them). */
export async function listFlavors(client: OpenStackClient, signal?: AbortSignal): Promise<NovaFlavor[]> {
  const flavors = await novaList<NovaFlavor>(client, {
    operation: 'list-flavors-detail',
    path: '/flavors/detail',
    key: 'flavors',
    signal,
  });
  for (const flavor of flavors) {
    if (typeof flavor.name !== 'string') {
      throw unexpectedAnswer('Nova', 'list-flavors-detail', `flavor ${flavor.id} has no name`);
    }
  }
  return flavors.filter((flavor) => flavor['OS-FLV-DISABLED:disabled'] !== true);
}

export function toSize(flavor: NovaFlavor): Size {
  return {
    id: flavor.id,
    name: flavor.name,
    ...(typeof flavor.vcpus === 'number' ? { cpus: flavor.vcpus } : {}),
    ...(typeof flavor.ram === 'number' ? { memoryMb: flavor.ram } : {}),
    ...(typeof flavor.disk === 'number' ? { diskGb: flavor.disk } : {}),
  };
}

interface AvailabilityZoneInfo {
  readonly zoneName?: unknown;
  readonly zoneState?: { readonly available?: unknown };
}

/** GET /os-availability-zone: the zones a user may launch in, by name (Nova has no zone ids). */
export async function listZones(client: OpenStackClient, signal?: AbortSignal): Promise<Zone[]> {
  const data = await client.json<{ availabilityZoneInfo?: unknown }>({
    service: 'compute',
    operation: 'list-availability-zones',
    method: 'GET',
    path: '/os-availability-zone',
    signal,
  });
  const info = data.availabilityZoneInfo;
  if (!Array.isArray(info)) {
    throw unexpectedAnswer('Nova', 'list-availability-zones', 'no "availabilityZoneInfo" array');
  }
  return (info as AvailabilityZoneInfo[])
    .filter((zone) => typeof zone?.zoneName === 'string' && zone.zoneName !== '')
    .map((zone) => ({
      id: zone.zoneName as string,
      name: zone.zoneName as string,
      ...(typeof zone.zoneState?.available === 'boolean' ? { available: zone.zoneState.available } : {}),
    }));
}

/**
 * The session's flavors, listed once and again when asked about a flavor it does not know (at
 * most once a minute): servers embed their flavor by name (2.47), and sizes are reported by id.
 */
export class FlavorCache {
  static readonly REFRESH_MS = 60_000;
  readonly #client: OpenStackClient;
  readonly #now: () => number;
  #flavors: Promise<NovaFlavor[]> | undefined;
  #loadedAt = Number.NEGATIVE_INFINITY;

  constructor(client: OpenStackClient, now: () => number = Date.now) {
    this.#client = client;
    this.#now = now;
  }

  async all(signal?: AbortSignal): Promise<NovaFlavor[]> {
    if (!this.#flavors) {
      this.#loadedAt = this.#now();
      // Shared by concurrent callers, so not tied to one caller's signal (each races its own).
      const loading = listFlavors(this.#client);
      this.#flavors = loading;
      // A failed listing is not kept: the next call tries again.
      loading.catch(() => {
        if (this.#flavors === loading) this.#flavors = undefined;
      });
    }
    return raceSignal(this.#flavors, signal, 'Listing flavors');
  }

  /** The flavors as Nova lists them now (listSizes): the cache starts over from this listing. */
  async fresh(signal?: AbortSignal): Promise<NovaFlavor[]> {
    this.#flavors = undefined;
    return this.all(signal);
  }

  /** Flavor ids by name, for the given names; a name still unknown after a refresh is left out. */
  async idsByName(names: ReadonlySet<string>, signal?: AbortSignal): Promise<Map<string, string>> {
    if (names.size === 0) return new Map();
    let flavors = await this.all(signal);
    const missing = [...names].some((name) => !flavors.some((flavor) => flavor.name === name));
    if (missing && this.#now() - this.#loadedAt >= FlavorCache.REFRESH_MS) {
      this.#flavors = undefined;
      flavors = await this.all(signal);
    }
    return new Map(
      flavors.filter((flavor) => names.has(flavor.name)).map((flavor) => [flavor.name, flavor.id]),
    );
  }

  /** The flavor a launch asks for, by id or else by name; undefined when there is none. */
  async find(reference: string, signal?: AbortSignal): Promise<NovaFlavor | undefined> {
    const lookup = (flavors: NovaFlavor[]): NovaFlavor | undefined =>
      flavors.find((flavor) => flavor.id === reference) ??
      flavors.find((flavor) => flavor.name === reference);
    const found = lookup(await this.all(signal));
    if (found || this.#now() - this.#loadedAt < FlavorCache.REFRESH_MS) return found;
    this.#flavors = undefined;
    return lookup(await this.all(signal));
  }
}
