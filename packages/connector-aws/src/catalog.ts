import type { Image, Size, Zone } from '@slipstream/connector-core';
import type { SessionContext } from './context.js';

/** EC2's largest pages: DescribeImages and DescribeInstanceTypeOfferings take up to 1000, DescribeInstanceTypes 100. */
const IMAGE_PAGE = 1000;
const OFFERING_PAGE = 1000;
const TYPE_PAGE = 100;

/** The page size to ask for: EC2's largest, or the connector's smaller one (5 is EC2's least). */
export function pageSize(context: SessionContext, largest: number): number {
  return Math.max(5, Math.min(largest, context.pageSize ?? largest));
}

/** The region's availability zones; one that is not `available` is listed as unavailable. */
export async function listZones(context: SessionContext, signal: AbortSignal | undefined): Promise<Zone[]> {
  const answer = await context.client.call('DescribeAvailabilityZones', (sdk, ec2) =>
    ec2.send(new sdk.DescribeAvailabilityZonesCommand({}), { abortSignal: signal }),
  );
  return (answer.AvailabilityZones ?? [])
    .filter((zone) => typeof zone.ZoneName === 'string')
    .map((zone) => ({
      id: zone.ZoneName as string,
      name: zone.ZoneName as string,
      available: zone.State === undefined || zone.State === 'available',
    }));
}

/** The images of the configured owners (`image.owners`), available ones only, newest first. */
export async function listImages(context: SessionContext, signal: AbortSignal | undefined): Promise<Image[]> {
  const images = await context.client.all('DescribeImages', async (sdk, ec2, token) => {
    const answer = await ec2.send(
      new sdk.DescribeImagesCommand({
        Owners: [...context.settings.imageOwners],
        Filters: [{ Name: 'state', Values: ['available'] }],
        MaxResults: pageSize(context, IMAGE_PAGE),
        NextToken: token,
      }),
      { abortSignal: signal },
    );
    return { items: answer.Images ?? [], next: answer.NextToken };
  });
  return images
    .filter((image) => typeof image.ImageId === 'string')
    .sort((a, b) => (b.CreationDate ?? '').localeCompare(a.CreationDate ?? ''))
    .map((image) => ({
      id: image.ImageId as string,
      name: image.Name ?? (image.ImageId as string),
      ...(image.Description ? { description: image.Description } : {}),
      // EC2 sends `windows` (the SDK's enum says `Windows`); Linux images have no platform.
      os: String(image.Platform ?? '').toLowerCase() === 'windows' ? 'windows' : 'linux',
    }));
}

/**
 * The instance types offered in the region (DescribeInstanceTypeOfferings) with their vCPUs and
 * memory (DescribeInstanceTypes), both read page by page, smallest first.
 */
export async function listSizes(context: SessionContext, signal: AbortSignal | undefined): Promise<Size[]> {
  const offerings = await context.client.all('DescribeInstanceTypeOfferings', async (sdk, ec2, token) => {
    const answer = await ec2.send(
      new sdk.DescribeInstanceTypeOfferingsCommand({
        LocationType: 'region',
        MaxResults: pageSize(context, OFFERING_PAGE),
        NextToken: token,
      }),
      { abortSignal: signal },
    );
    return { items: answer.InstanceTypeOfferings ?? [], next: answer.NextToken };
  });
  const offered = new Set(offerings.map((offering) => String(offering.InstanceType ?? '')));
  const types = await context.client.all('DescribeInstanceTypes', async (sdk, ec2, token) => {
    const answer = await ec2.send(
      new sdk.DescribeInstanceTypesCommand({ MaxResults: pageSize(context, TYPE_PAGE), NextToken: token }),
      { abortSignal: signal },
    );
    return { items: answer.InstanceTypes ?? [], next: answer.NextToken };
  });
  const sizes: Size[] = [];
  for (const type of types) {
    if (typeof type.InstanceType !== 'string' || !offered.has(type.InstanceType)) continue;
    sizes.push({
      id: type.InstanceType,
      name: type.InstanceType,
      ...(type.VCpuInfo?.DefaultVCpus === undefined ? {} : { cpus: type.VCpuInfo.DefaultVCpus }),
      ...(type.MemoryInfo?.SizeInMiB === undefined ? {} : { memoryMb: type.MemoryInfo.SizeInMiB }),
    });
  }
  return sizes.sort(
    (a, b) =>
      (a.cpus ?? 0) - (b.cpus ?? 0) || (a.memoryMb ?? 0) - (b.memoryMb ?? 0) || a.id.localeCompare(b.id),
  );
}
