import type { SimImage, SimSize, SimZone } from '../model/types.js';
import type { Catalog } from '../server/simulator.js';

/**
 * The Exoscale simulator's default catalog: the eight zones of the public API (the `zone-name`
 * enum of the API v2 specification), a handful of public templates, one private template, and the
 * `standard` instance types. Ids are fixed UUIDs, so tests and scripts can name them.
 */

/** Zone names in the order the API v2 specification lists its server variable's values. */
export const EXOSCALE_ZONE_NAMES = [
  'ch-gva-2',
  'ch-dk-2',
  'de-fra-1',
  'de-muc-1',
  'at-vie-1',
  'at-vie-2',
  'bg-sof-1',
  'hr-zag-1',
] as const;

export const EXOSCALE_ZONES: readonly SimZone[] = Object.freeze(
  EXOSCALE_ZONE_NAMES.map((name) => ({ id: name, name })),
);

const RELEASED = Date.UTC(2025, 9, 1);

export const EXOSCALE_TEMPLATES: readonly SimImage[] = Object.freeze([
  {
    id: 'e4929ad0-8a71-4895-a7ad-2d176743b9b5',
    name: 'Linux Ubuntu 24.04 LTS 64-bit',
    description: 'Ubuntu 24.04 LTS (Noble Numbat)',
    os: 'Ubuntu 24.04',
    sizeGb: 10,
    featured: true,
    createdAt: RELEASED,
  },
  {
    id: 'd6585148-a219-4623-aebc-0b3827176171',
    name: 'Linux Ubuntu 22.04 LTS 64-bit',
    description: 'Ubuntu 22.04 LTS (Jammy Jellyfish)',
    os: 'Ubuntu 22.04',
    sizeGb: 10,
    featured: true,
    createdAt: RELEASED,
  },
  {
    id: 'f38bd6b4-88f3-4948-8978-77304b9c830c',
    name: 'Linux Debian 12 (Bookworm) 64-bit',
    description: 'Debian 12 (Bookworm)',
    os: 'Debian 12',
    sizeGb: 10,
    featured: true,
    createdAt: RELEASED,
  },
  {
    id: 'cfaf9116-4338-4f53-b7c1-67fcaa412329',
    name: 'Linux Debian 11 (Bullseye) 64-bit',
    description: 'Debian 11 (Bullseye)',
    os: 'Debian 11',
    sizeGb: 10,
    featured: true,
    createdAt: RELEASED,
  },
  {
    // A template an organization registered itself: private, larger than the smallest disk, and
    // only in two zones, so clients meet each of those cases.
    id: '480c2488-7fb6-4228-a5c9-70d1f928d221',
    name: 'slipstream-base-2026',
    description: 'Organization template: Ubuntu 24.04 with the SlipStream agent',
    os: 'Ubuntu 24.04',
    sizeGb: 20,
    featured: false,
    zones: ['ch-gva-2', 'de-fra-1'],
    createdAt: Date.UTC(2026, 0, 15),
  },
]);

const GIB = 1024;

function standard(id: string, size: string, cpus: number, memoryMb: number): SimSize {
  return {
    id,
    name: size,
    description: `Standard ${size}: ${cpus} vCPU, ${memoryMb >= GIB ? `${memoryMb / GIB} GiB` : `${memoryMb} MiB`}`,
    cpus,
    memoryMb,
    cpuSpeedMhz: 2200,
    family: 'standard',
  };
}

/** `name` is the type's size word (`tiny`), `family` its family: together `standard.tiny`. */
export const EXOSCALE_INSTANCE_TYPES: readonly SimSize[] = Object.freeze([
  standard('456548b3-37cb-4e9c-a400-d2efc36b7469', 'micro', 1, 512),
  standard('2e65a8f1-b682-4521-bc2a-abd984c3c3ac', 'tiny', 1, GIB),
  standard('81a6e660-b7e2-45df-b24a-7bf65f7ba374', 'small', 2, 2 * GIB),
  standard('9e3ebfce-0691-4f24-95ed-13f23000c844', 'medium', 2, 4 * GIB),
  standard('45aa4327-1d32-4b37-a20c-ad4a360c11a3', 'large', 4, 8 * GIB),
  standard('7b7b9819-52b1-44dd-970d-97f0782c4d85', 'extra-large', 4, 16 * GIB),
  standard('c067e3b2-6459-4d1b-b5be-2595cffaf130', 'huge', 8, 32 * GIB),
]);

export const EXOSCALE_CATALOG: Catalog = Object.freeze({
  zones: EXOSCALE_ZONES,
  images: EXOSCALE_TEMPLATES,
  sizes: EXOSCALE_INSTANCE_TYPES,
});
