import type { SimImage, SimSize, SimZone } from '../model/types.js';
import type { Catalog } from '../server/simulator.js';

/**
 * EC2's default catalog for one region: its Availability Zones, a few Amazon-owned AMIs (the
 * model's `featured` images) and a few of the account's own (the others), and common instance
 * types with their vCPUs and memory in MiB. Ids and names have EC2's forms (`ami-` and 17 hex
 * digits, `t3.micro`); zone ids are the model's zone ids.
 */

export const EC2_DEFAULT_REGION = 'us-east-1';

/** Amazon's account, the owner of the `amazon` alias's images. */
export const AMAZON_OWNER_ID = '137112412989';

const CREATED = Date.UTC(2025, 5, 2, 10, 0, 0);

/** Availability Zones `${region}a`…: six in us-east-1, three elsewhere. */
export function ec2Zones(region: string = EC2_DEFAULT_REGION): SimZone[] {
  const letters = region === 'us-east-1' ? ['a', 'b', 'c', 'd', 'e', 'f'] : ['a', 'b', 'c'];
  return letters.map((letter) => ({ id: `${region}${letter}`, name: `${region}${letter}` }));
}

/**
 * A zone's id as EC2 reports it (`use1-az1`): the region's abbreviation (`use1`, `euw1`, `apse2`)
 * and the zone's position.
 */
export function zoneIdOf(region: string, index: number): string {
  const [area = region, ...rest] = region.split('-');
  const number = rest.pop() ?? '';
  const directions = rest
    .map((word) =>
      word
        .replace(/north/g, 'n')
        .replace(/south/g, 's')
        .replace(/east/g, 'e')
        .replace(/west/g, 'w')
        .replace(/central/g, 'c'),
    )
    .join('');
  return `${area}${directions}${number}-az${index + 1}`;
}

/** The default AMIs: Amazon's (`featured`, owner alias `amazon`) and the account's own (`Owner=self`). */
export const EC2_IMAGES: readonly SimImage[] = Object.freeze([
  {
    id: 'ami-0c2b8ca1dad447f8a',
    name: 'al2023-ami-2023.7.20250527.1-kernel-6.1-x86_64',
    description: 'Amazon Linux 2023 AMI 2023.7.20250527.1 x86_64 HVM kernel-6.1',
    os: 'Amazon Linux 2023',
    sizeGb: 8,
    featured: true,
    createdAt: CREATED,
  },
  {
    id: 'ami-0f34c5ae932e6f0e4',
    name: 'al2023-ami-2023.7.20250527.1-kernel-6.1-arm64',
    description: 'Amazon Linux 2023 AMI 2023.7.20250527.1 arm64 HVM kernel-6.1',
    os: 'Amazon Linux 2023',
    sizeGb: 8,
    featured: true,
    createdAt: CREATED,
  },
  {
    id: 'ami-05ffe3c48a9991133',
    name: 'amzn2-ami-kernel-5.10-hvm-2.0.20250527.0-x86_64-gp2',
    description: 'Amazon Linux 2 Kernel 5.10 AMI 2.0.20250527.0 x86_64 HVM gp2',
    os: 'Amazon Linux 2',
    sizeGb: 8,
    featured: true,
    createdAt: CREATED,
  },
  {
    id: 'ami-0a1b2c3d4e5f67890',
    name: 'Windows_Server-2022-English-Full-Base-2025.05.14',
    description: 'Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon',
    os: 'Windows Server 2022',
    sizeGb: 30,
    featured: true,
    createdAt: CREATED,
  },
  {
    id: 'ami-0123456789abcdef0',
    name: 'slipstream-base-ubuntu-24.04-x86_64',
    description: 'SlipStream base image, Ubuntu 24.04 LTS',
    os: 'Ubuntu 24.04',
    sizeGb: 10,
    featured: false,
    createdAt: CREATED + 86_400_000,
  },
  {
    id: 'ami-0fedcba9876543210',
    name: 'slipstream-app-2026.01-arm64',
    description: 'SlipStream application image, Debian 12, arm64',
    os: 'Debian 12',
    sizeGb: 12,
    featured: false,
    createdAt: CREATED + 2 * 86_400_000,
  },
]);

function type(name: string, cpus: number, memoryMb: number, cpuSpeedMhz: number): SimSize {
  const family = name.split('.')[0] as string;
  return {
    id: name,
    name,
    description: `${name}: ${cpus} vCPU, ${memoryMb} MiB`,
    cpus,
    memoryMb,
    cpuSpeedMhz,
    family,
  };
}

/** The default instance types: `id` and `name` are the type (`t3.micro`), `cpus` its vCPUs, `memoryMb` MiB. */
export const EC2_INSTANCE_TYPES: readonly SimSize[] = Object.freeze([
  type('t2.micro', 1, 1024, 2500),
  type('t2.small', 1, 2048, 2500),
  type('t2.medium', 2, 4096, 2300),
  type('t3.nano', 2, 512, 2500),
  type('t3.micro', 2, 1024, 2500),
  type('t3.small', 2, 2048, 2500),
  type('t3.medium', 2, 4096, 2500),
  type('t3.large', 2, 8192, 2500),
  type('t4g.micro', 2, 1024, 2500),
  type('t4g.small', 2, 2048, 2500),
  type('m5.large', 2, 8192, 3100),
  type('m5.xlarge', 4, 16384, 3100),
  type('m5.2xlarge', 8, 32768, 3100),
  type('m6g.large', 2, 8192, 2500),
  type('c5.large', 2, 4096, 3400),
  type('c5.xlarge', 4, 8192, 3400),
  type('r5.large', 2, 16384, 3100),
  type('m1.small', 1, 1740, 2000),
]);

/** The default catalog of a region (zones differ by region; images and types do not). */
export function ec2Catalog(region: string = EC2_DEFAULT_REGION): Catalog {
  return { zones: ec2Zones(region), images: EC2_IMAGES, sizes: EC2_INSTANCE_TYPES };
}

/** us-east-1's Availability Zones, us-east-1a to us-east-1f (the zone id is the zone name). */
export const EC2_ZONES: readonly SimZone[] = Object.freeze(ec2Zones());
/** us-east-1's default catalog: EC2_ZONES, EC2_IMAGES, EC2_INSTANCE_TYPES. */
export const EC2_CATALOG: Catalog = Object.freeze(ec2Catalog());

/** Processor architecture of an image or instance type: Graviton (`arm64`) or `x86_64`. */
export function imageArchitecture(image: SimImage): 'arm64' | 'x86_64' {
  return /arm64|aarch64/i.test(image.name) ? 'arm64' : 'x86_64';
}

export function typeArchitecture(size: SimSize): 'arm64' | 'x86_64' {
  return /^[a-z]+\d+[a-z]*g[a-z]*$/.test(size.family) ? 'arm64' : 'x86_64';
}

/** Previous-generation families, which EC2 lists with currentGeneration false. */
export function isCurrentGeneration(size: SimSize): boolean {
  return !['m1', 'm2', 'm3', 'c1', 'c3', 't1'].includes(size.family);
}

/** Threads per core: one on t2, m1 and Graviton, two on other x86 families. */
export function threadsPerCore(size: SimSize): number {
  if (size.cpus === 1 || typeArchitecture(size) === 'arm64' || ['t2', 'm1'].includes(size.family)) return 1;
  return 2;
}
