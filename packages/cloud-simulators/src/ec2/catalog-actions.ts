import type { SimImage, SimSize } from '../model/types.js';
import {
  AMAZON_OWNER_ID,
  imageArchitecture,
  isCurrentGeneration,
  threadsPerCore,
  typeArchitecture,
  zoneIdOf,
} from './catalog.js';
import { type ActionHandler, type Ec2Context, isoTime, querySignature } from './context.js';
import { Ec2Error, invalidParameterValue } from './errors.js';
import { applyFilters, filtersOf, paginate } from './params.js';
import { ec2Id } from './state.js';
import { itemSet, type XmlNode } from './xml.js';

/** DescribeAvailabilityZones, DescribeImages, DescribeInstanceTypes, DescribeInstanceTypeOfferings. */

// --- zones --------------------------------------------------------------------------------------

interface ZoneView {
  readonly zoneName: string;
  readonly zoneId: string;
}

function zonesOf(context: Ec2Context): ZoneView[] {
  return context.cloud.zones.map((zone, index) => ({
    zoneName: zone.name,
    zoneId: zoneIdOf(context.region, index),
  }));
}

export const describeAvailabilityZones: ActionHandler = (context) => {
  const { params, region } = context;
  let zones = zonesOf(context);
  const names = params.list('ZoneName');
  const ids = params.list('ZoneId');
  for (const name of names) {
    if (!zones.some((zone) => zone.zoneName === name)) {
      throw invalidParameterValue(`The zone '${name}' does not exist.`);
    }
  }
  for (const id of ids) {
    if (!zones.some((zone) => zone.zoneId === id))
      throw invalidParameterValue(`The zone ID '${id}' does not exist.`);
  }
  if (names.length || ids.length) {
    zones = zones.filter((zone) => names.includes(zone.zoneName) || ids.includes(zone.zoneId));
  }
  const filtered = applyFilters(
    zones,
    filtersOf(params),
    ['zone-name', 'zone-id', 'state', 'region-name', 'zone-type', 'opt-in-status', 'group-name', 'message'],
    (zone, name) => {
      switch (name) {
        case 'zone-name':
          return [zone.zoneName];
        case 'zone-id':
          return [zone.zoneId];
        case 'state':
          return ['available'];
        case 'region-name':
        case 'group-name':
          return [region];
        case 'zone-type':
          return ['availability-zone'];
        case 'opt-in-status':
          return ['opt-in-not-required'];
        default:
          return [];
      }
    },
  );
  return {
    availabilityZoneInfo: itemSet(
      filtered.map((zone) => ({
        zoneName: zone.zoneName,
        zoneState: 'available',
        regionName: region,
        messageSet: '',
        zoneId: zone.zoneId,
        zoneType: 'availability-zone',
        optInStatus: 'opt-in-not-required',
        groupName: region,
        groupLongName: region,
        networkBorderGroup: region,
      })),
    ),
  };
};

// --- images -------------------------------------------------------------------------------------

const IMAGE_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;

function ownerOf(context: Ec2Context, image: SimImage): string {
  return image.featured ? AMAZON_OWNER_ID : context.ownerId;
}

function isWindows(image: SimImage): boolean {
  return /windows/i.test(image.os);
}

function imageFilterValues(context: Ec2Context, image: SimImage, name: string): readonly string[] {
  switch (name) {
    case 'image-id':
      return [image.id];
    case 'name':
      return [image.name];
    case 'description':
      return [image.description];
    case 'owner-id':
      return [ownerOf(context, image)];
    case 'owner-alias':
      return image.featured ? ['amazon'] : [];
    case 'architecture':
      return [imageArchitecture(image)];
    case 'state':
      return ['available'];
    case 'is-public':
      return [String(image.featured)];
    case 'platform':
      return isWindows(image) ? ['windows'] : [];
    case 'image-type':
      return ['machine'];
    case 'root-device-type':
      return ['ebs'];
    case 'virtualization-type':
      return ['hvm'];
    case 'hypervisor':
      return ['xen'];
    default:
      return [];
  }
}

const IMAGE_FILTERS = [
  'image-id',
  'name',
  'description',
  'owner-id',
  'owner-alias',
  'architecture',
  'state',
  'is-public',
  'platform',
  'image-type',
  'root-device-type',
  'virtualization-type',
  'hypervisor',
  'tag:',
  'tag-key',
];

/** Whose images an `Owner.N` value names: `self`, `amazon`, or an account number. */
function ownedBy(context: Ec2Context, image: SimImage, owner: string): boolean {
  if (owner === 'self') return !image.featured;
  if (owner === 'amazon') return image.featured;
  return ownerOf(context, image) === owner;
}

function renderImage(context: Ec2Context, image: SimImage): XmlNode {
  const owner = ownerOf(context, image);
  const windows = isWindows(image);
  const rootDeviceName = windows ? '/dev/sda1' : '/dev/xvda';
  return {
    imageId: image.id,
    imageLocation: `${image.featured ? 'amazon' : owner}/${image.name}`,
    imageState: 'available',
    imageOwnerId: owner,
    creationDate: isoTime(image.createdAt),
    isPublic: image.featured,
    architecture: imageArchitecture(image),
    imageType: 'machine',
    platform: windows ? 'windows' : undefined,
    platformDetails: windows ? 'Windows' : 'Linux/UNIX',
    usageOperation: windows ? 'RunInstances:0002' : 'RunInstances',
    imageOwnerAlias: image.featured ? 'amazon' : undefined,
    name: image.name,
    description: image.description,
    rootDeviceType: 'ebs',
    rootDeviceName,
    blockDeviceMapping: itemSet([
      {
        deviceName: rootDeviceName,
        ebs: {
          snapshotId: ec2Id('snap', image.id),
          volumeSize: image.sizeGb,
          deleteOnTermination: true,
          volumeType: 'gp3',
          encrypted: false,
        },
      },
    ]),
    virtualizationType: 'hvm',
    hypervisor: 'xen',
    enaSupport: true,
    sriovNetSupport: 'simple',
    bootMode: imageArchitecture(image) === 'arm64' ? 'uefi' : undefined,
  };
}

export const describeImages: ActionHandler = (context) => {
  const { params, cloud } = context;
  const ids = params.list('ImageId');
  if (ids.length > 0 && params.get('MaxResults') !== undefined) {
    throw new Ec2Error(
      'InvalidParameterCombination',
      'The parameter ImageIds cannot be used with the parameter MaxResults',
    );
  }
  for (const id of ids) {
    if (!IMAGE_ID.test(id))
      throw new Ec2Error('InvalidAMIID.Malformed', `Invalid id: "${id}" (expecting "ami-...")`);
  }
  const missing = ids.filter((id) => !cloud.images.some((image) => image.id === id));
  if (missing.length > 0) {
    throw new Ec2Error('InvalidAMIID.NotFound', `The image id '[${missing.join(', ')}]' does not exist`);
  }
  let images = ids.length ? cloud.images.filter((image) => ids.includes(image.id)) : [...cloud.images];
  const owners = params.list('Owner');
  if (owners.length > 0)
    images = images.filter((image) => owners.some((owner) => ownedBy(context, image, owner)));
  images = applyFilters(images, filtersOf(params), IMAGE_FILTERS, (image, name) =>
    imageFilterValues(context, image, name),
  );
  const page = paginate(images, params, { min: 5, max: 1000 }, querySignature(context, 'DescribeImages'));
  return {
    imagesSet: itemSet(page.items.map((image) => renderImage(context, image))),
    nextToken: page.nextToken,
  };
};

// --- instance types -----------------------------------------------------------------------------

function typeFilterValues(size: SimSize, name: string): readonly string[] {
  switch (name) {
    case 'instance-type':
      return [size.name];
    case 'current-generation':
      return [String(isCurrentGeneration(size))];
    case 'vcpu-info.default-vcpus':
      return [String(size.cpus)];
    case 'memory-info.size-in-mib':
      return [String(size.memoryMb)];
    case 'processor-info.supported-architecture':
      return [typeArchitecture(size)];
    case 'free-tier-eligible':
      return [String(freeTier(size))];
    case 'burstable-performance-supported':
      return [String(burstable(size))];
    case 'hypervisor':
      return [hypervisor(size)];
    default:
      return [];
  }
}

const TYPE_FILTERS = [
  'instance-type',
  'current-generation',
  'vcpu-info.default-vcpus',
  'memory-info.size-in-mib',
  'processor-info.supported-architecture',
  'free-tier-eligible',
  'burstable-performance-supported',
  'hypervisor',
];

const freeTier = (size: SimSize): boolean => size.name === 't2.micro' || size.name === 't3.micro';
const burstable = (size: SimSize): boolean => size.family.startsWith('t');
const hypervisor = (size: SimSize): string => (['t2', 'm1'].includes(size.family) ? 'xen' : 'nitro');

function renderInstanceType(size: SimSize): XmlNode {
  const architecture = typeArchitecture(size);
  const threads = threadsPerCore(size);
  const cores = Math.max(1, Math.floor(size.cpus / threads));
  return {
    instanceType: size.name,
    currentGeneration: isCurrentGeneration(size),
    freeTierEligible: freeTier(size),
    supportedUsageClasses: itemSet(['on-demand', 'spot']),
    supportedRootDeviceTypes: itemSet(['ebs']),
    supportedVirtualizationTypes: itemSet(['hvm']),
    bareMetal: false,
    hypervisor: hypervisor(size),
    processorInfo: {
      supportedArchitectures: itemSet([architecture]),
      sustainedClockSpeedInGhz: size.cpuSpeedMhz / 1000,
      manufacturer: architecture === 'arm64' ? 'AWS' : 'Intel',
    },
    vCpuInfo: {
      defaultVCpus: size.cpus,
      defaultCores: cores,
      defaultThreadsPerCore: threads,
    },
    memoryInfo: { sizeInMiB: size.memoryMb },
    instanceStorageSupported: false,
    ebsInfo: {
      ebsOptimizedSupport: hypervisor(size) === 'nitro' ? 'default' : 'unsupported',
      encryptionSupport: 'supported',
      nvmeSupport: hypervisor(size) === 'nitro' ? 'required' : 'unsupported',
    },
    networkInfo: {
      networkPerformance: size.cpus <= 2 ? 'Up to 5 Gigabit' : 'Up to 10 Gigabit',
      maximumNetworkInterfaces: size.cpus <= 1 ? 2 : 3,
      ipv4AddressesPerInterface: size.cpus <= 1 ? 2 : 6,
      ipv6AddressesPerInterface: size.cpus <= 1 ? 2 : 6,
      ipv6Supported: true,
      enaSupport: hypervisor(size) === 'nitro' ? 'required' : 'unsupported',
    },
    hibernationSupported: false,
    burstablePerformanceSupported: burstable(size),
    dedicatedHostsSupported: false,
    autoRecoverySupported: true,
    supportedBootModes: itemSet(architecture === 'arm64' ? ['uefi'] : ['legacy-bios', 'uefi']),
  };
}

export const describeInstanceTypes: ActionHandler = (context) => {
  const { params, cloud } = context;
  const names = params.list('InstanceType');
  const missing = names.filter((name) => !cloud.sizes.some((size) => size.name === name));
  if (missing.length > 0) {
    throw new Ec2Error(
      'InvalidInstanceType',
      `The following supplied instance types do not exist: [${missing.join(', ')}]`,
    );
  }
  let sizes = names.length ? cloud.sizes.filter((size) => names.includes(size.name)) : [...cloud.sizes];
  sizes = applyFilters(sizes, filtersOf(params), TYPE_FILTERS, typeFilterValues);
  const page = paginate(
    sizes,
    params,
    { min: 5, max: 100 },
    querySignature(context, 'DescribeInstanceTypes'),
  );
  return {
    instanceTypeSet: itemSet(page.items.map(renderInstanceType)),
    nextToken: page.nextToken,
  };
};

export const describeInstanceTypeOfferings: ActionHandler = (context) => {
  const { params, cloud, region } = context;
  const locationType = params.get('LocationType') ?? 'region';
  if (!['region', 'availability-zone', 'availability-zone-id'].includes(locationType)) {
    throw invalidParameterValue(
      `Value (${locationType}) for parameter locationType is invalid. Valid values are region, availability-zone, availability-zone-id.`,
    );
  }
  const locations =
    locationType === 'region'
      ? [region]
      : zonesOf(context).map((zone) => (locationType === 'availability-zone' ? zone.zoneName : zone.zoneId));
  const offerings = locations.flatMap((location) =>
    cloud.sizes.map((size) => ({ instanceType: size.name, locationType, location })),
  );
  const filtered = applyFilters(
    offerings,
    filtersOf(params),
    ['location', 'instance-type'],
    (offering, name) => (name === 'location' ? [offering.location] : [offering.instanceType]),
  );
  const page = paginate(
    filtered,
    params,
    { min: 5, max: 1000 },
    querySignature(context, 'DescribeInstanceTypeOfferings'),
  );
  return { instanceTypeOfferingSet: itemSet(page.items), nextToken: page.nextToken };
};
