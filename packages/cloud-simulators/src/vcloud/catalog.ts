import { createHash } from 'node:crypto';
import type { SimImage, SimSize, SimZone } from '../model/types.js';
import type { Catalog } from '../server/simulator.js';

/**
 * The simulated VMware Cloud Director 10.5's inventory defaults. vCD has no sizes and no zones a
 * tenant picks: a VM's CPU and memory come from its vApp template (or the instantiate request), and
 * where it runs is the organization VDC it is instantiated in. So the model gets one zone (the
 * provider VDC behind the org VDCs) and one size (the templates' default hardware); the images
 * become vApp templates in the organization's catalog.
 */

/** The API versions vCD 10.5 serves here, newest first, as its 406 answer lists them. */
export const VCLOUD_API_VERSIONS = Object.freeze(['38.0', '37.2', '37.1', '37.0'] as const);
/** The newest API version: what answers carry when nothing else was asked. */
export const VCLOUD_API_VERSION = '38.0';
/** The last API versions that still have the legacy `POST /api/sessions` login (gone in 38.0). */
export const LEGACY_LOGIN_VERSIONS: ReadonlySet<string> = new Set(['37.0', '37.1', '37.2']);
export const VCLOUD_PRODUCT_VERSION = '10.5.1.23400185';

export const VCLOUD_DEFAULTS = Object.freeze({
  org: 'slipstream',
  vdc: 'vdc-1',
  /** A second VDC of the organization, so that a `vdc==` filter matters. */
  secondVdc: 'vdc-2',
  catalog: 'slipstream-catalog',
  network: 'routed-1',
  /** The second VDC's own network. */
  secondNetwork: 'isolated-2',
  /** vCD's restapi.queryservice.maxPageSize. */
  maxPageSize: 128,
  /** The query service's page size when the request gives none. */
  defaultPageSize: 25,
  tokenTtlMs: 60 * 60_000,
});

const PUBLISHED = Date.UTC(2025, 5, 2, 8, 0, 0);

export const VCLOUD_IMAGES: readonly SimImage[] = Object.freeze([
  {
    id: 'ubuntu-24.04',
    name: 'ubuntu-24.04-server',
    description: 'Ubuntu Server 24.04 LTS (Noble Numbat) with cloud-init and open-vm-tools',
    os: 'Ubuntu 24.04',
    sizeGb: 10,
    featured: true,
    createdAt: PUBLISHED,
  },
  {
    id: 'debian-12',
    name: 'debian-12',
    description: 'Debian 12 (bookworm) with cloud-init and open-vm-tools',
    os: 'Debian 12',
    sizeGb: 8,
    featured: true,
    createdAt: PUBLISHED + 60_000,
  },
  {
    id: 'rocky-9',
    name: 'rocky-linux-9',
    description: 'Rocky Linux 9 with cloud-init and open-vm-tools',
    os: 'Rocky 9',
    sizeGb: 10,
    featured: true,
    createdAt: PUBLISHED + 120_000,
  },
  {
    id: 'photon-5',
    name: 'photon-os-5',
    description: 'VMware Photon OS 5.0, minimal',
    os: 'Photon 5',
    sizeGb: 4,
    featured: true,
    createdAt: PUBLISHED + 180_000,
  },
]);

/** The model needs a size for every VM; vCD has none, so there is one: the templates' hardware. */
export const VCLOUD_SIZES: readonly SimSize[] = Object.freeze([
  {
    id: 'template-default',
    name: 'template default',
    description: 'vCD has no sizes: CPU and memory come with each vApp template and VM',
    cpus: 2,
    memoryMb: 4096,
    cpuSpeedMhz: 2000,
    family: 'vcloud',
  },
]);

/** The provider VDC every organization VDC draws on: one place VMs run. */
export const VCLOUD_ZONES: readonly SimZone[] = Object.freeze([{ id: 'pvdc-1', name: 'pvdc-1' }]);

export const VCLOUD_CATALOG: Catalog = Object.freeze({
  zones: VCLOUD_ZONES,
  images: VCLOUD_IMAGES,
  sizes: VCLOUD_SIZES,
});

/** A guest OS as vSphere names it: the osType id and the description vCD shows. */
export interface GuestOs {
  readonly osType: string;
  readonly description: string;
}

const GUEST_OSES: Readonly<Record<string, GuestOs>> = {
  ubuntu: { osType: 'ubuntu64Guest', description: 'Ubuntu Linux (64-bit)' },
  debian: { osType: 'debian12_64Guest', description: 'Debian GNU/Linux 12 (64-bit)' },
  rocky: { osType: 'rockylinux_64Guest', description: 'Rocky Linux (64-bit)' },
  photon: { osType: 'vmwarePhoton64Guest', description: 'VMware Photon OS (64-bit)' },
  windows: { osType: 'windows2019srvNext_64Guest', description: 'Microsoft Windows Server 2022 (64-bit)' },
};

export function guestOsOf(image: SimImage | undefined): GuestOs {
  const family = (image?.os.split(/\s+/)[0] ?? '').toLowerCase();
  return GUEST_OSES[family] ?? { osType: 'otherLinux64Guest', description: 'Other Linux (64-bit)' };
}

/**
 * A UUID that is the same for the same names on every run (the bytes of a SHA-1, shaped as a
 * version-5 UUID): the org, its VDCs, networks, catalog and templates keep their ids across
 * restarts, as a real cloud's do.
 */
export function stableUuid(...names: readonly string[]): string {
  const bytes = createHash('sha1').update(names.join('\u0000')).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A VMware MAC address (00:50:56, the range vCD hands out) from an id. */
export function macAddressOf(id: string): string {
  const bytes = createHash('sha1').update(id).digest();
  const tail = [bytes[0] ?? 0, bytes[1] ?? 0, bytes[2] ?? 0].map((b) => b.toString(16).padStart(2, '0'));
  return `00:50:56:${tail.join(':')}`;
}
