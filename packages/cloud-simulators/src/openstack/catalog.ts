import type { SimImage, SimSize, SimZone } from '../model/types.js';
import type { Catalog } from '../server/simulator.js';

/**
 * The OpenStack simulator's default catalog, shaped like a fresh devstack: the `nova` availability
 * zone (and a second one), CirrOS plus a few cloud images in Glance, and the m1 flavors with
 * devstack's ids. Image ids are UUIDs, as Nova requires of imageRef.
 */

export const OPENSTACK_ZONES: readonly SimZone[] = Object.freeze([
  { id: 'nova', name: 'nova' },
  { id: 'az-2', name: 'az-2' },
]);

export const OPENSTACK_IMAGES: readonly SimImage[] = Object.freeze([
  {
    // The newest image, listed first by Glance: the one devstack uploads, small enough for m1.tiny.
    id: '6b5e0a3c-0c5e-4f0b-9d7a-2f6f3b1c8e01',
    name: 'cirros-0.6.2-x86_64-disk',
    description: 'CirrOS 0.6.2 test image',
    os: 'CirrOS 0.6.2',
    sizeGb: 1,
    featured: true,
    createdAt: Date.UTC(2026, 0, 20, 9, 30),
  },
  {
    id: 'c2f9a1de-55b3-4c52-a1b8-7d0c4e2f9a10',
    name: 'ubuntu-24.04-server-cloudimg-amd64',
    description: 'Ubuntu 24.04 LTS (Noble Numbat)',
    os: 'Ubuntu 24.04',
    sizeGb: 3,
    featured: true,
    createdAt: Date.UTC(2025, 9, 1, 8),
  },
  {
    id: '8a3e7c54-1b2d-4e6f-9a0b-3c4d5e6f7a81',
    name: 'ubuntu-22.04-server-cloudimg-amd64',
    description: 'Ubuntu 22.04 LTS (Jammy Jellyfish)',
    os: 'Ubuntu 22.04',
    sizeGb: 3,
    featured: true,
    createdAt: Date.UTC(2025, 9, 1, 7),
  },
  {
    id: 'f0e1d2c3-b4a5-4968-8776-655443322110',
    name: 'debian-12-genericcloud-amd64',
    description: 'Debian 12 (Bookworm)',
    os: 'Debian 12',
    sizeGb: 2,
    featured: true,
    createdAt: Date.UTC(2025, 9, 1, 6),
  },
  {
    // A project's own snapshot: private, and too big for the small flavors.
    id: '3d9b6f2e-8c71-4a05-b2e4-9f1a7c6d5e43',
    name: 'slipstream-base-2026',
    description: 'Ubuntu 24.04 with the SlipStream agent',
    os: 'Ubuntu 24.04',
    sizeGb: 10,
    featured: false,
    createdAt: Date.UTC(2026, 0, 15),
  },
]);

const MIB_PER_GIB = 1024;

function m1(id: string, size: string, cpus: number, memoryMb: number, diskGb: number): SimSize {
  const memory = memoryMb >= MIB_PER_GIB ? `${memoryMb / MIB_PER_GIB} GiB` : `${memoryMb} MiB`;
  return {
    id,
    name: `m1.${size}`,
    description: `${cpus} vCPU, ${memory} RAM, ${diskGb} GB disk`,
    cpus,
    memoryMb,
    cpuSpeedMhz: 2400,
    family: 'm1',
    diskGb,
  };
}

/** devstack's flavors: the five classic m1 sizes (ids 1–5) and its nano/micro for CirrOS. */
export const OPENSTACK_FLAVORS: readonly SimSize[] = Object.freeze([
  m1('1', 'tiny', 1, 512, 1),
  m1('2', 'small', 1, 2048, 20),
  m1('3', 'medium', 2, 4096, 40),
  m1('4', 'large', 4, 8192, 80),
  m1('5', 'xlarge', 8, 16384, 160),
  m1('42', 'nano', 1, 128, 1),
  m1('84', 'micro', 1, 192, 1),
]);

export const OPENSTACK_CATALOG: Catalog = Object.freeze({
  zones: OPENSTACK_ZONES,
  images: OPENSTACK_IMAGES,
  sizes: OPENSTACK_FLAVORS,
});
