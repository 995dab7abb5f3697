import type { SimImage, SimSize, SimZone } from '../model/types.js';
import type { Catalog } from '../server/simulator.js';

/**
 * Open Telekom Cloud's default catalog: the availability zones of each public region, a few of the
 * public "Standard_" images T-Systems publishes, and general-purpose s3/c4/m3 flavors. OTC flavors
 * carry no root disk (the ECS API reports disk 0, "not limited"): the system disk is an EVS volume
 * as large as the image needs, which is what the model does for a size without `diskGb`.
 */

/** The region names of the public OTC regions, which are also their default projects. */
export const OTC_REGIONS = ['eu-de', 'eu-nl', 'eu-ch2'] as const;

const ZONE_NAMES: Readonly<Record<string, readonly string[]>> = {
  'eu-de': ['eu-de-01', 'eu-de-02', 'eu-de-03'],
  'eu-nl': ['eu-nl-01', 'eu-nl-02', 'eu-nl-03'],
  // The Swiss region names its zones with a letter.
  'eu-ch2': ['eu-ch2a', 'eu-ch2b'],
};

/** The availability zones of a region; a region OTC does not have gets `<region>-01`. */
export function otcZones(region: string): SimZone[] {
  return (ZONE_NAMES[region] ?? [`${region}-01`]).map((name) => ({ id: name, name }));
}

export const OTC_IMAGES: readonly SimImage[] = Object.freeze([
  {
    id: '9f2f1bd4-6d0c-4b91-8b1e-0c6e5a3d7a21',
    name: 'Standard_Ubuntu_22.04_latest',
    description: 'Ubuntu 22.04 server 64bit',
    os: 'Ubuntu 22.04',
    sizeGb: 4,
    featured: true,
    createdAt: Date.UTC(2026, 0, 12, 6),
  },
  {
    id: '2a7d5c10-3e44-4f6b-a0c9-5d8e7f6a1b32',
    name: 'Standard_Debian_12_latest',
    description: 'Debian GNU/Linux 12 (bookworm) 64bit',
    os: 'Debian 12',
    sizeGb: 4,
    featured: true,
    createdAt: Date.UTC(2026, 0, 12, 5),
  },
  {
    id: '7c1e4b9a-58d2-4e3f-9b0a-1f2e3d4c5b63',
    name: 'Standard_EulerOS_2.9_latest',
    description: 'EulerOS 2.9 64bit',
    os: 'EulerOS 2.9',
    sizeGb: 10,
    featured: true,
    createdAt: Date.UTC(2025, 11, 1, 4),
  },
  {
    // A tenant's own image: private, and larger than the standard ones.
    id: 'd4b3a291-7e6f-4c5d-8a9b-0c1d2e3f4a54',
    name: 'slipstream-base-2026',
    description: 'Ubuntu 22.04 with the SlipStream agent',
    os: 'Ubuntu 22.04',
    sizeGb: 12,
    featured: false,
    createdAt: Date.UTC(2026, 0, 20),
  },
]);

function flavor(id: string, cpus: number, memoryGb: number, family: string, description: string): SimSize {
  return {
    id,
    name: id,
    description: `${description}, ${cpus} vCPU, ${memoryGb} GiB RAM`,
    cpus,
    memoryMb: memoryGb * 1024,
    cpuSpeedMhz: 2600,
    family,
  };
}

/** OTC flavor ids are their names: `<family>.<size>.<GiB of RAM per vCPU>`. */
export const OTC_FLAVORS: readonly SimSize[] = Object.freeze([
  flavor('s3.medium.1', 1, 1, 's3', 'General-purpose'),
  flavor('s3.medium.2', 1, 2, 's3', 'General-purpose'),
  flavor('s3.large.2', 2, 4, 's3', 'General-purpose'),
  flavor('s3.xlarge.2', 4, 8, 's3', 'General-purpose'),
  flavor('s3.2xlarge.2', 8, 16, 's3', 'General-purpose'),
  flavor('c4.large.2', 2, 4, 'c4', 'Dedicated general-purpose'),
  flavor('c4.xlarge.2', 4, 8, 'c4', 'Dedicated general-purpose'),
  flavor('m3.large.8', 2, 16, 'm3', 'Memory-optimized'),
]);

/** The catalog of a region. */
export function otcCatalog(region: string): Catalog {
  return { zones: otcZones(region), images: OTC_IMAGES, sizes: OTC_FLAVORS };
}
