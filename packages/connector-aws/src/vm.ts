import {
  type Logger,
  mapState,
  readVms,
  userTags,
  type Vm,
  type WireReader,
} from '@slipstream/connector-core';
import { pageSize } from './catalog.js';
import type { SessionContext } from './context.js';
import { AWS_STATES } from './states.js';
import { readIpv6, readTags, readTime } from './wire.js';

/** EC2 instance ids: `i-` and 8 (older) or 17 hexadecimal digits. */
const INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

export function isInstanceId(id: string): boolean {
  return INSTANCE_ID.test(id);
}

/** EC2's largest page of DescribeInstances (MaxResults 5–1000). */
const PAGE_SIZE = 1000;

/**
 * The contract's VM from an EC2 instance. The name is the `Name` tag (what the console shows), the
 * instance id when there is none; addresses are the public and private IPv4 and every IPv6; the
 * connector's own launch tags are hidden.
 */
export function readInstance(wire: WireReader): Vm {
  const state = wire.object('State')?.string('Name') ?? '';
  const tags = readTags(wire);
  const id = wire.id('InstanceId') ?? '';
  const publicIps = [wire.string('PublicIpAddress'), ...readIpv6(wire)].filter(
    (ip): ip is string => ip !== undefined && ip !== '',
  );
  const privateIp = wire.string('PrivateIpAddress');
  return {
    id,
    name: tags.Name ?? id,
    state: mapState(AWS_STATES, state),
    rawState: state,
    publicIps,
    privateIps: privateIp ? [privateIp] : [],
    image: wire.string('ImageId'),
    size: wire.string('InstanceType'),
    zone: wire.object('Placement')?.string('AvailabilityZone'),
    createdAt: readTime(wire, 'LaunchTime'),
    tags: userTags(Object.fromEntries(Object.entries(tags).filter(([key]) => key !== 'Name'))),
  };
}

/** The instances of DescribeInstances reservations, as VMs. */
export function toVms(reservations: readonly unknown[], logger: Logger): Vm[] {
  const instances = reservations.flatMap((reservation) => {
    const list = (reservation as { Instances?: unknown } | null)?.Instances;
    return Array.isArray(list) ? list : [];
  });
  return readVms(instances, readInstance, { logger, what: 'EC2 DescribeInstances' });
}

/**
 * The account's instances in the region, or those with the given ids. Ids go in an `instance-id`
 * filter rather than `InstanceIds`, because EC2 refuses a whole `InstanceIds` call naming one
 * unknown id, and the contract leaves unknown ids out.
 */
export async function describeInstances(
  context: SessionContext,
  filters: readonly { Name: string; Values: string[] }[],
  signal: AbortSignal | undefined,
): Promise<Vm[]> {
  const reservations = await context.client.all('DescribeInstances', async (sdk, ec2, token) => {
    const answer = await ec2.send(
      new sdk.DescribeInstancesCommand({
        ...(filters.length > 0 ? { Filters: filters.map((filter) => ({ ...filter })) } : {}),
        MaxResults: pageSize(context, PAGE_SIZE),
        NextToken: token,
      }),
      { abortSignal: signal },
    );
    return { items: answer.Reservations ?? [], next: answer.NextToken };
  });
  return toVms(reservations, context.logger);
}

/** The VMs of `ids` that exist; malformed ids cannot name an instance and are left out. */
export async function describeByIds(
  context: SessionContext,
  ids: readonly string[],
  signal: AbortSignal | undefined,
): Promise<Vm[]> {
  const wellFormed = [...new Set(ids)].filter(isInstanceId);
  if (wellFormed.length === 0) return [];
  const vms: Vm[] = [];
  // EC2 allows 200 values per filter.
  for (let start = 0; start < wellFormed.length; start += 200) {
    vms.push(
      ...(await describeInstances(
        context,
        [{ Name: 'instance-id', Values: wellFormed.slice(start, start + 200) }],
        signal,
      )),
    );
  }
  return vms;
}
