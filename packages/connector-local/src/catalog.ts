import type { Image, Size, Zone } from '@slipstream/connector-core';

/**
 * What the local cloud offers. A real cloud lists these from its API; the local cloud has a fixed
 * catalog so that examples, documentation and tests can name ids that always exist.
 */

export const LOCAL_IMAGES: readonly Image[] = Object.freeze([
  {
    id: 'ubuntu-24.04',
    name: 'Ubuntu 24.04 LTS',
    description: 'Ubuntu Server 24.04 (Noble Numbat)',
    os: 'linux',
  },
  { id: 'debian-12', name: 'Debian 12', description: 'Debian GNU/Linux 12 (bookworm)', os: 'linux' },
  {
    id: 'alpine-3.20',
    name: 'Alpine Linux 3.20',
    description: 'Alpine Linux 3.20, a minimal image',
    os: 'linux',
  },
]);

export const LOCAL_SIZES: readonly Size[] = Object.freeze([
  { id: 'small', name: 'Small', cpus: 1, memoryMb: 1024, diskGb: 10 },
  { id: 'medium', name: 'Medium', cpus: 2, memoryMb: 4096, diskGb: 40 },
  { id: 'large', name: 'Large', cpus: 4, memoryMb: 16384, diskGb: 80 },
]);

export const LOCAL_ZONES: readonly Zone[] = Object.freeze([
  { id: 'local-a', name: 'Local zone A', available: true },
  { id: 'local-b', name: 'Local zone B', available: true },
]);

/** The zone ids, for the `zone` instance parameter's allowed values. */
export const LOCAL_ZONE_IDS: readonly string[] = Object.freeze(LOCAL_ZONES.map((zone) => zone.id));
