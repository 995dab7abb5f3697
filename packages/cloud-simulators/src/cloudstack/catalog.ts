import type { SimImage, SimSize, SimZone } from '../model/types.js';
import type { Catalog } from '../server/simulator.js';

/**
 * The CloudStack simulator's default catalog: two advanced zones, the featured templates a fresh
 * cloud typically offers (including CloudStack's own built-in CentOS template), one user template
 * that exists in a single zone, and the three default compute offerings a new installation
 * creates. Ids are fixed UUIDs so that tests and scripts can name them.
 */

export const CLOUDSTACK_ZONES: readonly SimZone[] = Object.freeze([
  { id: '1b9a4b2c-3f0e-4a8e-9a61-5a3c2e7d0a01', name: 'Zone-A' },
  { id: '2c8b5a3d-4e1f-4b9f-8b72-6b4d3f8e1b02', name: 'Zone-B' },
]);

const INSTALLED = Date.UTC(2025, 5, 2, 9, 30);
const [ZONE_A] = CLOUDSTACK_ZONES as [SimZone, SimZone];

export const CLOUDSTACK_TEMPLATES: readonly SimImage[] = Object.freeze([
  {
    id: '8f6f2a71-6c1b-4c7e-9d1e-2b0c4f5a6e01',
    name: 'Ubuntu 24.04 LTS',
    description: 'Ubuntu 24.04 LTS (Noble Numbat) 64-bit, cloud-init enabled',
    os: 'Ubuntu 24.04 LTS',
    sizeGb: 10,
    featured: true,
    createdAt: INSTALLED,
  },
  {
    id: '9a7e3b82-7d2c-4d8f-8e2f-3c1d5e6b7f02',
    name: 'Debian 12',
    description: 'Debian 12 (Bookworm) 64-bit, cloud-init enabled',
    os: 'Debian GNU/Linux 12 (64-bit)',
    sizeGb: 10,
    featured: true,
    createdAt: INSTALLED,
  },
  {
    id: 'ab8f4c93-8e3d-4e90-9f30-4d2e6f7c8003',
    name: 'Rocky Linux 9',
    description: 'Rocky Linux 9.4 64-bit, cloud-init enabled',
    os: 'Rocky Linux 9',
    sizeGb: 12,
    featured: true,
    createdAt: INSTALLED,
  },
  {
    // The template every CloudStack installation ships for smoke tests.
    id: 'bc905da4-9f4e-4fa1-8041-5e3f708d9104',
    name: 'CentOS 5.5(64-bit) no GUI (KVM)',
    description: 'CentOS 5.5(64-bit) no GUI (KVM)',
    os: 'CentOS 5.5 (64-bit)',
    sizeGb: 8,
    featured: true,
    createdAt: INSTALLED,
  },
  {
    // A template the account registered itself: not featured, and only in one zone.
    id: 'cda16eb5-a05f-40b2-9152-6f40819eaa05',
    name: 'web-base-2026',
    description: 'Account template: Ubuntu 24.04 with nginx',
    os: 'Ubuntu 24.04 LTS',
    sizeGb: 20,
    featured: false,
    zones: [ZONE_A.id],
    createdAt: Date.UTC(2026, 0, 12, 14, 0),
  },
]);

export const CLOUDSTACK_OFFERINGS: readonly SimSize[] = Object.freeze([
  {
    id: 'd1b27fc6-b160-41c3-a263-70518a0fbb06',
    name: 'Small Instance',
    description: 'Small Instance',
    cpus: 1,
    memoryMb: 512,
    cpuSpeedMhz: 500,
    family: 'standard',
  },
  {
    id: 'e2c380d7-c271-42d4-b374-81629b1acc07',
    name: 'Medium Instance',
    description: 'Medium Instance',
    cpus: 1,
    memoryMb: 1024,
    cpuSpeedMhz: 1000,
    family: 'standard',
  },
  {
    id: 'f3d491e8-d382-43e5-8485-92730c2bdd08',
    name: 'Large Instance',
    description: 'Large Instance',
    cpus: 2,
    memoryMb: 4096,
    cpuSpeedMhz: 2000,
    family: 'standard',
  },
]);

export const CLOUDSTACK_CATALOG: Catalog = Object.freeze({
  zones: CLOUDSTACK_ZONES,
  images: CLOUDSTACK_TEMPLATES,
  sizes: CLOUDSTACK_OFFERINGS,
});
