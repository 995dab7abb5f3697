import { createHash } from 'node:crypto';
import {
  LAUNCH_TAGS,
  type LaunchRequest,
  launchNames,
  launchTags,
  type Vm,
} from '@slipstream/connector-core';
import type { SessionContext } from './context.js';
import { ensureKeyPair } from './keypairs.js';
import { describeByIds } from './vm.js';
import { CONSISTENCY_WAIT, untilInstancesVisible } from './waits.js';

/**
 * Launching on EC2, with EC2's own idempotency: RunInstances takes a ClientToken, and a request
 * repeated with the same token returns the reservation of the first instead of making a second
 * (the same token with different parameters is refused with IdempotentParameterMismatch). So the
 * launch is one RunInstances for all `count` instances (MinCount = MaxCount = count) with a token
 * derived from the idempotency key, and the transport may repeat it after a lost answer: a retry,
 * ours or the caller's, returns the same instances. Each instance carries core's launch tags, and
 * its name in the `Name` tag.
 */

/** EC2's limit on ClientToken: 64 ASCII characters. */
const MAX_TOKEN = 64;
/** EC2's limit on a tag value. */
const MAX_TAG_VALUE = 256;

const digest = (value: string): string => createHash('sha256').update(value).digest('base64url');

/** The ClientToken of a launch: the key itself when EC2 takes it, its digest otherwise. */
export function clientToken(idempotencyKey: string): string {
  return idempotencyKey.length <= MAX_TOKEN && /^[\x21-\x7e]+$/.test(idempotencyKey)
    ? idempotencyKey
    : `sha256-${digest(idempotencyKey)}`;
}

/** The key as a tag value: itself, or its digest when it is too long for one. */
export function storedKey(idempotencyKey: string): string {
  return idempotencyKey.length <= MAX_TAG_VALUE ? idempotencyKey : `sha256-${digest(idempotencyKey)}`;
}

const tagList = (tags: Readonly<Record<string, string>>): { Key: string; Value: string }[] =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

export async function launch(
  context: SessionContext,
  request: LaunchRequest,
  signal: AbortSignal | undefined,
): Promise<Vm[]> {
  const { client, settings } = context;
  const names = launchNames(request);
  const key = storedKey(request.idempotencyKey);
  // Refuses the reserved tag names before anything is sent.
  const firstTags = { Name: names[0] as string, ...launchTags(key, 1, request.tags) };
  const keyName =
    request.sshPublicKey === undefined
      ? undefined
      : await ensureKeyPair(context, request.sshPublicKey, signal);
  const answer = await client.call('RunInstances', (sdk, ec2) =>
    ec2.send(
      new sdk.RunInstancesCommand({
        ClientToken: clientToken(request.idempotencyKey),
        ImageId: request.image,
        InstanceType: request.size as never,
        MinCount: names.length,
        MaxCount: names.length,
        ...(keyName === undefined ? {} : { KeyName: keyName }),
        ...(request.userData === undefined
          ? {}
          : { UserData: Buffer.from(request.userData, 'utf8').toString('base64') }),
        ...(request.zone === undefined ? {} : { Placement: { AvailabilityZone: request.zone } }),
        ...(settings.subnetId === undefined ? {} : { SubnetId: settings.subnetId }),
        ...(settings.securityGroupIds.length > 0 ? { SecurityGroupIds: [...settings.securityGroupIds] } : {}),
        ...(settings.securityGroupNames.length > 0
          ? { SecurityGroups: [...settings.securityGroupNames] }
          : {}),
        TagSpecifications: [{ ResourceType: 'instance', Tags: tagList(firstTags) }],
      }),
      { abortSignal: signal },
    ),
  );
  const instances = [...(answer.Instances ?? [])].sort(
    (a, b) => (a.AmiLaunchIndex ?? 0) - (b.AmiLaunchIndex ?? 0),
  );
  const ids = instances
    .map((instance) => instance.InstanceId)
    .filter((id): id is string => typeof id === 'string');
  context.logger.info(
    { instances: ids, reservation: answer.ReservationId, idempotencyKey: request.idempotencyKey },
    'EC2 instances launched',
  );
  // With more than one, each gets its own name and index (TagSpecifications gives all the same).
  for (const [index, id] of ids.entries()) {
    if (index === 0) continue;
    await untilInstancesVisible(`EC2 CreateTags for ${id}`, { ...CONSISTENCY_WAIT, signal }, () =>
      client.call('CreateTags', (sdk, ec2) =>
        ec2.send(
          new sdk.CreateTagsCommand({
            Resources: [id],
            Tags: [
              { Key: 'Name', Value: names[index] as string },
              { Key: LAUNCH_TAGS.launchIndex, Value: String(index + 1) },
            ],
          }),
          { abortSignal: signal },
        ),
      ),
    );
  }
  const described = new Map((await describeByIds(context, ids, signal)).map((vm) => [vm.id, vm]));
  // An instance not visible yet to DescribeInstances is returned as RunInstances described it.
  return ids.map((id, index) => described.get(id) ?? pendingVm(id, names[index] as string, request));
}

function pendingVm(id: string, name: string, request: LaunchRequest): Vm {
  return {
    id,
    name,
    state: 'pending',
    rawState: 'pending',
    publicIps: [],
    privateIps: [],
    image: request.image,
    size: request.size,
    zone: request.zone,
    tags: { ...request.tags },
  };
}
