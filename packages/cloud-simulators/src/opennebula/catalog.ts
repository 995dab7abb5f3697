import type { SimImage, SimSize, SimZone } from '../model/types.js';
import type { Catalog } from '../server/simulator.js';
import { single, type TemplateAttribute, vector } from './template.js';

/**
 * The simulated OpenNebula's catalog. OpenNebula launches VMs from VM templates, which refer to
 * images; it has no zones to choose from (one oned is one zone) and no sizes (each template, and
 * each VM, carries its own CPU, VCPU and MEMORY). So the model's images become both the images and
 * one VM template each — `featured` ones owned by oneadmin and shared with the users group (as an
 * operator shares Marketplace appliances), the others owned by the first account — and the model
 * gets one zone and one size, which only give the template its default CPU and MEMORY.
 */

/** The oned release the simulator answers as (one.system.version). */
export const OPENNEBULA_VERSION = '6.10.0';

/** Where the XML-RPC API is served unless told otherwise: oned's own endpoint. */
export const OPENNEBULA_DEFAULT_PATH = '/RPC2';

export interface OpenNebulaNetworkSpec {
  readonly id: number;
  readonly name: string;
  /** addresses handed out: the model VM's public or private IP */
  readonly kind: 'public' | 'private';
}

export const OPENNEBULA_DEFAULT_NETWORKS: readonly OpenNebulaNetworkSpec[] = Object.freeze([
  { id: 0, name: 'public', kind: 'public' },
  { id: 1, name: 'private', kind: 'private' },
]);

/** oned's built-in administrator and the group every account's user is in. */
export const ONEADMIN = Object.freeze({ uid: 0, name: 'oneadmin' });
export const USERS_GROUP = Object.freeze({ gid: 1, name: 'users' });
/** oned's first zone, the only one a single oned serves. */
export const OPENNEBULA_ZONES: readonly SimZone[] = Object.freeze([{ id: '0', name: 'OpenNebula' }]);

const REGISTERED = Date.UTC(2025, 8, 15, 9, 30, 0);

export const OPENNEBULA_IMAGES: readonly SimImage[] = Object.freeze([
  {
    id: 'ubuntu-24.04',
    name: 'Ubuntu 24.04',
    description: 'Ubuntu 24.04 LTS (Noble Numbat) with the OpenNebula contextualization packages',
    os: 'Ubuntu 24.04',
    sizeGb: 3,
    featured: true,
    createdAt: REGISTERED,
  },
  {
    id: 'debian-12',
    name: 'Debian 12',
    description: 'Debian 12 (bookworm) with the OpenNebula contextualization packages',
    os: 'Debian 12',
    sizeGb: 2,
    featured: true,
    createdAt: REGISTERED + 60_000,
  },
  {
    id: 'almalinux-9',
    name: 'AlmaLinux 9',
    description: 'AlmaLinux 9 with the OpenNebula contextualization packages',
    os: 'AlmaLinux 9',
    sizeGb: 3,
    featured: true,
    createdAt: REGISTERED + 120_000,
  },
  {
    id: 'slipstream-app',
    name: 'slipstream-app',
    description: 'The account’s own application image, Ubuntu 24.04 based',
    os: 'Ubuntu 24.04',
    sizeGb: 4,
    featured: false,
    createdAt: REGISTERED + 86_400_000,
  },
]);

/** The model needs a size for every VM; OpenNebula has none, so there is one, the templates' default. */
export const OPENNEBULA_SIZES: readonly SimSize[] = Object.freeze([
  {
    id: 'template-default',
    name: 'template default',
    description: 'OpenNebula has no sizes: CPU, VCPU and MEMORY come with each template and VM',
    cpus: 1,
    memoryMb: 1024,
    cpuSpeedMhz: 2000,
    family: 'opennebula',
  },
]);

export const OPENNEBULA_CATALOG: Catalog = Object.freeze({
  zones: OPENNEBULA_ZONES,
  images: OPENNEBULA_IMAGES,
  sizes: OPENNEBULA_SIZES,
});

/** Sunstone's logo for an operating system, as Marketplace templates set LOGO. */
function logoOf(image: SimImage): string {
  const family = (image.os.split(/\s+/)[0] ?? 'linux').toLowerCase();
  return `images/logos/${family}.png`;
}

/**
 * The VM template made from the image with this id (its index among the model's images): a
 * Marketplace appliance's usual attributes, one disk from the image, one NIC on the first network
 * (by name and owner, as Sunstone writes it) and network contextualization with the owner's SSH key.
 */
export function templateAttributes(
  image: SimImage,
  imageId: number,
  size: SimSize,
  network: OpenNebulaNetworkSpec | undefined,
): TemplateAttribute[] {
  const attributes: TemplateAttribute[] = [
    vector('CONTEXT', { NETWORK: 'YES', SSH_PUBLIC_KEY: '$USER[SSH_PUBLIC_KEY]' }),
    single('CPU', String(size.cpus)),
    single('DESCRIPTION', image.description),
    vector('DISK', { IMAGE_ID: String(imageId) }),
    vector('GRAPHICS', { LISTEN: '0.0.0.0', TYPE: 'VNC' }),
    single('HYPERVISOR', 'kvm'),
    single('LOGO', logoOf(image)),
    single('MEMORY', String(size.memoryMb)),
    vector('OS', { ARCH: 'x86_64' }),
    single('VCPU', String(size.cpus)),
  ];
  if (network) {
    attributes.push(
      vector('NIC', { NETWORK: network.name, NETWORK_UNAME: ONEADMIN.name, SECURITY_GROUPS: '0' }),
    );
  }
  return attributes;
}
