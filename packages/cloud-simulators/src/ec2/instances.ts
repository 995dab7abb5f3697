import { createHash, randomUUID } from 'node:crypto';
import type { SimVm } from '../model/types.js';
import { imageArchitecture, threadsPerCore } from './catalog.js';
import { type ActionHandler, type Ec2Context, isoTime, querySignature, tagItems } from './context.js';
import { Ec2Error, invalidParameterValue, missingParameter } from './errors.js';
import { applyFilters, filtersOf, type Params, paginate } from './params.js';
import { ec2Id, type InstanceRecord, type SecurityGroupRef } from './state.js';
import { itemSet, type XmlNode } from './xml.js';

/**
 * RunInstances, DescribeInstances, StopInstances, StartInstances, TerminateInstances. Instances are
 * the model's VMs; their EC2 state comes from the model's phase: starting is `pending` (0), running
 * `running` (16), stopping `stopping` (64), stopped `stopped` (80), expunging `shutting-down` (32),
 * and a VM the model has removed after a TerminateInstances `terminated` (48).
 */

export interface InstanceState {
  readonly code: number;
  readonly name: string;
}

const PENDING: InstanceState = { code: 0, name: 'pending' };
const RUNNING: InstanceState = { code: 16, name: 'running' };
const SHUTTING_DOWN: InstanceState = { code: 32, name: 'shutting-down' };
const TERMINATED: InstanceState = { code: 48, name: 'terminated' };
const STOPPING: InstanceState = { code: 64, name: 'stopping' };
const STOPPED: InstanceState = { code: 80, name: 'stopped' };

export function instanceState(vm: SimVm, gone: boolean): InstanceState {
  if (gone) return TERMINATED;
  switch (vm.phase) {
    case 'starting':
      return PENDING;
    case 'running':
      return RUNNING;
    case 'stopping':
      return STOPPING;
    case 'stopped':
      return STOPPED;
    case 'expunging':
      return SHUTTING_DOWN;
    case 'destroyed':
    case 'error':
      return TERMINATED;
  }
}

const INSTANCE_ID = /^i-([0-9a-f]{8}|[0-9a-f]{17})$/;

function gmt(time: number): string {
  return `${new Date(time).toISOString().replace('T', ' ').slice(0, 19)} GMT`;
}

function dnsNames(region: string, privateIp: string, publicIp: string): { private: string; public: string } {
  const dashed = (ip: string) => ip.replace(/\./g, '-');
  return region === 'us-east-1'
    ? {
        private: `ip-${dashed(privateIp)}.ec2.internal`,
        public: `ec2-${dashed(publicIp)}.compute-1.amazonaws.com`,
      }
    : {
        private: `ip-${dashed(privateIp)}.${region}.compute.internal`,
        public: `ec2-${dashed(publicIp)}.${region}.compute.amazonaws.com`,
      };
}

interface Listed {
  readonly record: InstanceRecord;
  readonly vm: SimVm;
  readonly gone: boolean;
}

function renderInstance(context: Ec2Context, { record, vm, gone }: Listed): XmlNode {
  const state = instanceState(vm, gone);
  const image = context.cloud.images.find((candidate) => candidate.id === vm.image);
  const size = context.cloud.sizes.find((candidate) => candidate.id === vm.size);
  const failed = vm.phase === 'error' && !gone;
  const hasPublicIp = state === PENDING || state === RUNNING || state === STOPPING || state === SHUTTING_DOWN;
  const hasPrivateIp = state !== TERMINATED;
  const names = dnsNames(context.region, vm.privateIp, vm.publicIp);
  const ended = record.terminated?.requestedAt ?? vm.phaseSince;
  const stateReason =
    state === PENDING
      ? { code: 'pending', message: 'pending' }
      : failed
        ? { code: 'Server.InternalError', message: 'Server.InternalError: Internal error on launch' }
        : state === STOPPED || state === STOPPING || state === TERMINATED || state === SHUTTING_DOWN
          ? {
              code: 'Client.UserInitiatedShutdown',
              message: 'Client.UserInitiatedShutdown: User initiated shutdown',
            }
          : undefined;
  const reason =
    state === RUNNING || state === PENDING
      ? ''
      : failed
        ? 'Server.InternalError'
        : `User initiated (${gmt(ended)})`;
  const windows = image ? /windows/i.test(image.os) : false;
  const rootDeviceName = windows ? '/dev/sda1' : '/dev/xvda';
  const threads = size ? threadsPerCore(size) : 1;
  return {
    instanceId: record.instanceId,
    imageId: vm.image,
    instanceState: { code: state.code, name: state.name },
    privateDnsName: hasPrivateIp ? names.private : '',
    dnsName: hasPublicIp ? names.public : '',
    reason,
    keyName: vm.keyPair,
    amiLaunchIndex: record.launchIndex,
    productCodes: '',
    instanceType: vm.size,
    launchTime: isoTime(record.launchTime),
    placement: { availabilityZone: vm.zone, groupName: '', tenancy: 'default' },
    platform: windows ? 'windows' : undefined,
    monitoring: { state: 'disabled' },
    subnetId: gone ? undefined : record.subnetId,
    vpcId: gone ? undefined : record.vpcId,
    privateIpAddress: hasPrivateIp ? vm.privateIp : undefined,
    ipAddress: hasPublicIp ? vm.publicIp : undefined,
    sourceDestCheck: gone ? undefined : true,
    groupSet: itemSet(gone ? [] : record.groups.map((group) => ({ ...group }))),
    stateReason,
    architecture: image ? imageArchitecture(image) : 'x86_64',
    rootDeviceType: 'ebs',
    rootDeviceName,
    blockDeviceMapping: itemSet(
      gone
        ? []
        : [
            {
              deviceName: rootDeviceName,
              ebs: {
                volumeId: ec2Id('vol', record.vmId),
                status: 'attached',
                attachTime: isoTime(vm.createdAt),
                deleteOnTermination: true,
              },
            },
          ],
    ),
    virtualizationType: 'hvm',
    clientToken: record.clientToken ?? '',
    tagSet: Object.keys(vm.tags).length ? itemSet(tagItems(vm.tags)) : undefined,
    hypervisor: 'xen',
    networkInterfaceSet: itemSet(
      gone
        ? []
        : [
            {
              networkInterfaceId: ec2Id('eni', record.vmId),
              subnetId: record.subnetId,
              vpcId: record.vpcId,
              description: '',
              ownerId: context.ownerId,
              status: 'in-use',
              macAddress: macOf(record.vmId),
              privateIpAddress: vm.privateIp,
              privateDnsName: names.private,
              sourceDestCheck: true,
              groupSet: itemSet(record.groups.map((group) => ({ ...group }))),
              attachment: {
                attachmentId: ec2Id('eni-attach', record.vmId),
                deviceIndex: 0,
                status: 'attached',
                attachTime: isoTime(vm.createdAt),
                deleteOnTermination: true,
                networkCardIndex: 0,
              },
              association: hasPublicIp
                ? { publicIp: vm.publicIp, publicDnsName: names.public, ipOwnerId: 'amazon' }
                : undefined,
              privateIpAddressesSet: itemSet([
                {
                  privateIpAddress: vm.privateIp,
                  privateDnsName: names.private,
                  primary: true,
                  association: hasPublicIp
                    ? { publicIp: vm.publicIp, publicDnsName: names.public, ipOwnerId: 'amazon' }
                    : undefined,
                },
              ]),
              ipv6AddressesSet: '',
              interfaceType: 'interface',
            },
          ],
    ),
    ebsOptimized: false,
    enaSupport: true,
    cpuOptions: size
      ? { coreCount: Math.max(1, Math.floor(size.cpus / threads)), threadsPerCore: threads }
      : undefined,
    capacityReservationSpecification: { capacityReservationPreference: 'open' },
    hibernationOptions: { configured: false },
    metadataOptions: {
      state: 'applied',
      httpTokens: 'required',
      httpPutResponseHopLimit: 2,
      httpEndpoint: 'enabled',
      httpProtocolIpv6: 'disabled',
      instanceMetadataTags: 'disabled',
    },
    enclaveOptions: { enabled: false },
    bootMode: image && imageArchitecture(image) === 'arm64' ? 'uefi' : undefined,
    platformDetails: windows ? 'Windows' : 'Linux/UNIX',
    usageOperation: windows ? 'RunInstances:0002' : 'RunInstances',
    usageOperationUpdateTime: isoTime(vm.createdAt),
    privateDnsNameOptions: {
      hostnameType: 'ip-name',
      enableResourceNameDnsARecord: false,
      enableResourceNameDnsAAAARecord: false,
    },
    maintenanceOptions: { autoRecovery: 'default' },
    currentInstanceBootMode: image && imageArchitecture(image) === 'arm64' ? 'uefi' : 'legacy-bios',
  };
}

function macOf(seed: string): string {
  const bytes = createHash('sha256').update(seed).digest().subarray(0, 5);
  return ['0e', ...[...bytes].map((byte) => byte.toString(16).padStart(2, '0'))].join(':');
}

/** Reservations of consecutive instances, as DescribeInstances groups them. */
function reservations(context: Ec2Context, listed: readonly Listed[]): XmlNode[] {
  const groups: Listed[][] = [];
  for (const item of listed) {
    const last = groups[groups.length - 1];
    if (last && last[0]?.record.reservationId === item.record.reservationId) last.push(item);
    else groups.push([item]);
  }
  return groups.map((group) => {
    const first = group[0] as Listed;
    return {
      reservationId: first.record.reservationId,
      ownerId: context.ownerId,
      groupSet: '',
      instancesSet: itemSet(group.map((item) => renderInstance(context, item))),
    };
  });
}

/** The listed instances an `InstanceId.N` list names; refuses malformed and unknown ids as EC2 does. */
function resolveIds(ids: readonly string[], listed: readonly Listed[]): Listed[] {
  for (const id of ids) {
    if (!INSTANCE_ID.test(id)) {
      throw new Ec2Error('InvalidInstanceID.Malformed', `Invalid id: "${id}" (expecting "i-...")`);
    }
  }
  const byId = new Map(listed.map((item) => [item.record.instanceId, item]));
  const missing = [...new Set(ids)].filter((id) => !byId.has(id));
  if (missing.length === 1) {
    throw new Ec2Error('InvalidInstanceID.NotFound', `The instance ID '${missing[0]}' does not exist`);
  }
  if (missing.length > 1) {
    throw new Ec2Error('InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`);
  }
  return [...new Set(ids)].map((id) => byId.get(id) as Listed);
}

const INSTANCE_FILTERS = [
  'instance-id',
  'instance-state-name',
  'instance-state-code',
  'tag:',
  'tag-key',
  'tag-value',
  'client-token',
  'image-id',
  'instance-type',
  'availability-zone',
  'key-name',
  'reservation-id',
  'private-ip-address',
  'ip-address',
  'subnet-id',
  'vpc-id',
  'owner-id',
  'launch-index',
  'dns-name',
  'private-dns-name',
  'instance.group-id',
  'instance.group-name',
  'architecture',
];

function instanceFilterValues(
  context: Ec2Context,
  item: Listed,
  name: string,
): readonly (string | undefined)[] {
  const { record, vm, gone } = item;
  const state = instanceState(vm, gone);
  if (name.startsWith('tag:')) return [vm.tags[name.slice(4)]];
  const rendered = (): XmlNode => renderInstance(context, item);
  switch (name) {
    case 'instance-id':
      return [record.instanceId];
    case 'instance-state-name':
      return [state.name];
    case 'instance-state-code':
      return [String(state.code)];
    case 'tag-key':
      return Object.keys(vm.tags);
    case 'tag-value':
      return Object.values(vm.tags);
    case 'client-token':
      return [record.clientToken];
    case 'image-id':
      return [vm.image];
    case 'instance-type':
      return [vm.size];
    case 'availability-zone':
      return [vm.zone];
    case 'key-name':
      return [vm.keyPair];
    case 'reservation-id':
      return [record.reservationId];
    case 'private-ip-address':
      return [rendered().privateIpAddress as string | undefined];
    case 'ip-address':
      return [rendered().ipAddress as string | undefined];
    case 'subnet-id':
      return [record.subnetId];
    case 'vpc-id':
      return [record.vpcId];
    case 'owner-id':
      return [context.ownerId];
    case 'launch-index':
      return [String(record.launchIndex)];
    case 'dns-name':
      return [rendered().dnsName as string];
    case 'private-dns-name':
      return [rendered().privateDnsName as string];
    case 'instance.group-id':
      return record.groups.map((group) => group.groupId);
    case 'instance.group-name':
      return record.groups.map((group) => group.groupName);
    case 'architecture':
      return [rendered().architecture as string];
    default:
      return [];
  }
}

export const describeInstances: ActionHandler = (context) => {
  const { params, state, account } = context;
  const ids = params.list('InstanceId');
  if (ids.length > 0 && params.get('MaxResults') !== undefined) {
    throw new Ec2Error(
      'InvalidParameterCombination',
      'The parameter instancesSet cannot be used with the parameter maxResults',
    );
  }
  let listed: Listed[] = state.instances(account.id);
  if (ids.length > 0) listed = resolveIds(ids, listed);
  listed = applyFilters(listed, filtersOf(params), INSTANCE_FILTERS, (item, name) =>
    instanceFilterValues(context, item, name),
  );
  const page = paginate(listed, params, { min: 5, max: 1000 }, querySignature(context, 'DescribeInstances'));
  return { reservationSet: itemSet(reservations(context, page.items)), nextToken: page.nextToken };
};

// --- RunInstances --------------------------------------------------------------------------------

const USER_DATA_LIMIT = 16 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The parameters that make two RunInstances the same request for ClientToken idempotency. */
function fingerprint(context: Ec2Context): string {
  const relevant = context.params
    .entries()
    .filter(([name]) => name !== 'ClientToken' && !name.startsWith('X-Amz-'))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex');
}

function runResponse(
  context: Ec2Context,
  reservationId: string,
  groups: readonly SecurityGroupRef[],
  instanceIds: readonly string[],
): XmlNode {
  const listed = context.state.instances(context.account.id);
  const instances = instanceIds
    .map((id) => listed.find((item) => item.record.instanceId === id))
    .filter((item): item is Listed => item !== undefined);
  return {
    reservationId,
    ownerId: context.ownerId,
    groupSet: itemSet(groups.map((group) => ({ ...group }))),
    instancesSet: itemSet(instances.map((item) => renderInstance(context, item))),
  };
}

/** `Tag.N.Key`/`Tag.N.Value` pairs, checked as EC2 checks them. */
function readTags(entries: readonly Params[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const tag of entries) {
    const key = tag.get('Key');
    if (key === undefined || key === '') throw missingParameter('Tag.Key');
    if (key.length > 128) throw invalidParameterValue(`Tag key exceeds the maximum length of 128 characters`);
    if (key.toLowerCase().startsWith('aws:')) {
      throw invalidParameterValue(`Tag keys starting with 'aws:' are reserved for internal use`);
    }
    const value = tag.get('Value') ?? '';
    if (value.length > 256)
      throw invalidParameterValue('Tag value exceeds the maximum length of 256 characters');
    tags[key] = value;
  }
  return tags;
}

/** `TagSpecification.N` tags for one resource type. */
function tagsFor(context: Ec2Context, resourceType: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const spec of context.params.structs('TagSpecification')) {
    const type = spec.get('ResourceType');
    if (!type) throw missingParameter('TagSpecification.ResourceType');
    const valid = ['instance', 'volume', 'network-interface', 'spot-instances-request', 'elastic-gpu'];
    if (!valid.includes(type)) {
      throw invalidParameterValue(`'${type}' is not a valid taggable resource type for this operation.`);
    }
    if (type !== resourceType) continue;
    Object.assign(tags, readTags(spec.structs('Tag')));
  }
  return tags;
}

export const runInstances: ActionHandler = (context) => {
  const { params, cloud, state, account } = context;
  const clientToken = params.get('ClientToken');
  if (clientToken !== undefined && clientToken.length > 64) {
    throw invalidParameterValue('The client token must be at most 64 ASCII characters.');
  }
  const print = fingerprint(context);
  if (clientToken) {
    const previous = state.launch(account.id, clientToken);
    if (previous) {
      if (previous.fingerprint !== print) {
        throw new Ec2Error(
          'IdempotentParameterMismatch',
          'Arguments on this idempotent request are inconsistent with arguments used in previous request(s).',
        );
      }
      return runResponse(context, previous.reservationId, previous.groups, previous.instanceIds);
    }
  }

  const minCount = params.integer('MinCount');
  const maxCount = params.integer('MaxCount');
  if (maxCount === undefined) throw missingParameter('MaxCount');
  if (minCount === undefined) throw missingParameter('MinCount');
  if (minCount < 1)
    throw invalidParameterValue(
      `Value (${minCount}) for parameter minCount is invalid. Expected: 'a positive integer'.`,
    );
  if (maxCount < minCount) {
    throw invalidParameterValue(
      `Value (${maxCount}) for parameter maxCount is invalid. It must be at least minCount (${minCount}).`,
    );
  }

  const imageId = params.required('ImageId');
  if (!/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/.test(imageId)) {
    throw new Ec2Error('InvalidAMIID.Malformed', `Invalid id: "${imageId}" (expecting "ami-...")`);
  }
  const image = cloud.images.find((candidate) => candidate.id === imageId);
  if (!image) throw new Ec2Error('InvalidAMIID.NotFound', `The image id '[${imageId}]' does not exist`);

  const instanceType = params.get('InstanceType') ?? 'm1.small';
  if (!cloud.sizes.some((size) => size.id === instanceType)) {
    throw invalidParameterValue(`Invalid value '${instanceType}' for InstanceType.`);
  }

  const subnetId = params.get('SubnetId');
  let zone = params.struct('Placement').get('AvailabilityZone');
  if (zone !== undefined && !cloud.zones.some((candidate) => candidate.id === zone)) {
    throw invalidParameterValue(`Invalid availability zone: [${zone}]`);
  }
  if (subnetId !== undefined) {
    if (!/^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/.test(subnetId)) {
      throw new Ec2Error('InvalidSubnetID.Malformed', `Invalid id: "${subnetId}" (expecting "subnet-...")`);
    }
    const subnetZone = state.subnetZone(account.id, subnetId);
    if (!subnetZone)
      throw new Ec2Error('InvalidSubnetID.NotFound', `The subnet ID '${subnetId}' does not exist`);
    if (zone !== undefined && zone !== subnetZone) {
      throw invalidParameterValue(
        `Value (${zone}) for parameter availabilityZone is invalid. Subnet '${subnetId}' is in the availability zone ${subnetZone}`,
      );
    }
    zone = subnetZone;
  }
  const zoneId = zone ?? (cloud.zones[0]?.id as string);

  const keyName = params.get('KeyName');
  if (keyName !== undefined && !cloud.keyPairs(account.id).some((pair) => pair.name === keyName)) {
    throw new Ec2Error('InvalidKeyPair.NotFound', `The key pair '${keyName}' does not exist`);
  }

  const groupIds = params.list('SecurityGroupId');
  for (const id of groupIds) {
    if (!/^sg-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id)) {
      throw new Ec2Error('InvalidGroupId.Malformed', `Invalid id: "${id}" (expecting "sg-...")`);
    }
  }
  const groups: SecurityGroupRef[] = [
    ...groupIds.map((id) => state.groupById(account.id, id)),
    ...params.list('SecurityGroup').map((name) => state.groupByName(account.id, name)),
  ];
  if (groups.length === 0) groups.push(state.defaultGroup(account.id));

  const userData = params.get('UserData');
  if (userData !== undefined) {
    if (!BASE64.test(userData) || userData.length % 4 === 1) {
      throw invalidParameterValue('Invalid BASE64 encoding of user data.');
    }
    if (Buffer.from(userData, 'base64').length > USER_DATA_LIMIT) {
      throw invalidParameterValue(`User data is limited to ${USER_DATA_LIMIT} bytes.`);
    }
  }
  const tags = tagsFor(context, 'instance');

  // As many instances as the quota leaves room for, between MinCount and MaxCount.
  const held = cloud
    .vms(account.id)
    .filter((vm) => vm.phase !== 'expunging' && vm.phase !== 'destroyed').length;
  const room = account.vmLimit - held;
  if (room < minCount) {
    throw new Ec2Error(
      'InstanceLimitExceeded',
      `You have requested more instances (${minCount}) than your current instance limit of ${account.vmLimit} allows for the specified instance type. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.`,
    );
  }
  const count = Math.min(maxCount, room);
  const reservationId = ec2Id('r', randomUUID());
  const instanceIds: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const { vm } = cloud.createVm(
      account.id,
      {
        name: tags.Name ?? '',
        zone: zoneId,
        image: image.id,
        size: instanceType,
        keyPair: keyName,
        userData,
        securityGroups: groups.map((group) => group.groupName),
        tags,
      },
      'RunInstances',
    );
    const record = state.addInstance(account.id, vm, {
      reservationId,
      launchIndex: index,
      clientToken: clientToken || undefined,
      subnetId: subnetId ?? state.defaultSubnet(account.id, zoneId),
      vpcId: state.defaultVpc(account.id),
      groups,
    });
    instanceIds.push(record.instanceId);
  }
  if (clientToken)
    state.rememberLaunch(account.id, clientToken, { fingerprint: print, reservationId, instanceIds, groups });
  return runResponse(context, reservationId, groups, instanceIds);
};

// --- state changes ---------------------------------------------------------------------------------

type Change = (context: Ec2Context, item: Listed) => void;

function stateChange(
  context: Ec2Context,
  refuse: (item: Listed) => string | undefined,
  change: Change,
): XmlNode {
  const { params, state, account, cloud } = context;
  const ids = params.list('InstanceId');
  if (ids.length === 0) throw missingParameter('InstanceId');
  const targets = resolveIds(ids, state.instances(account.id));
  for (const item of targets) {
    const message = refuse(item);
    if (message) throw new Ec2Error('IncorrectInstanceState', message);
  }
  const items = targets.map((item) => {
    const previous = instanceState(item.vm, item.gone);
    change(context, item);
    const vm = cloud.vm(account.id, item.record.vmId);
    const current = vm ? instanceState(vm, false) : TERMINATED;
    return {
      instanceId: item.record.instanceId,
      currentState: { code: current.code, name: current.name },
      previousState: { code: previous.code, name: previous.name },
    };
  });
  return { instancesSet: itemSet(items) };
}

export const stopInstances: ActionHandler = (context) => stopLike(context);

function stopLike(context: Ec2Context): XmlNode {
  const node = stateChange(
    context,
    (item) => {
      const current = instanceState(item.vm, item.gone);
      return current === RUNNING || current === STOPPING || current === STOPPED
        ? undefined
        : `This instance '${item.record.instanceId}' is not in a state from which it can be stopped.`;
    },
    (ctx, item) => {
      if (instanceState(item.vm, item.gone) === RUNNING) {
        ctx.cloud.stopVm(ctx.account.id, item.record.vmId, 'StopInstances');
      }
    },
  );
  return node;
}

export const startInstances: ActionHandler = (context) =>
  stateChange(
    context,
    (item) => {
      const current = instanceState(item.vm, item.gone);
      return current === STOPPED || current === PENDING || current === RUNNING
        ? undefined
        : `The instance '${item.record.instanceId}' is not in a state from which it can be started.`;
    },
    (ctx, item) => {
      if (instanceState(item.vm, item.gone) === STOPPED) {
        ctx.cloud.startVm(ctx.account.id, item.record.vmId, 'StartInstances');
        item.record.launchTime = ctx.cloud.clock.now();
      }
    },
  );

export const terminateInstances: ActionHandler = (context) =>
  stateChange(
    context,
    () => undefined,
    (ctx, item) => {
      const current = instanceState(item.vm, item.gone);
      if (item.gone || current === SHUTTING_DOWN) return;
      const now = ctx.cloud.clock.now();
      const operation = ctx.cloud.destroyVm(ctx.account.id, item.record.vmId, true, 'TerminateInstances');
      item.record.terminated = { vm: item.vm, goneAt: operation.completesAt, requestedAt: now };
    },
  );

/**
 * CreateTags (`ResourceId.N`, `Tag.N.Key`/`.Value`): adds or overwrites tags. Instances are the
 * resources modelled; another id is refused as EC2 refuses an id it does not know.
 */
export const createTags: ActionHandler = (context) => {
  const { params, state, account, cloud } = context;
  const ids = params.list('ResourceId');
  if (ids.length === 0) throw missingParameter('ResourceId');
  const tags = readTags(params.structs('Tag'));
  if (Object.keys(tags).length === 0) throw missingParameter('Tag');
  const other = ids.find((id) => !id.startsWith('i-'));
  if (other !== undefined) throw new Ec2Error('InvalidID', `The ID '${other}' is not valid`);
  for (const item of resolveIds(ids, state.instances(account.id))) {
    if (!item.gone) cloud.tagVm(account.id, item.record.vmId, tags);
  }
  return { return: true };
};
