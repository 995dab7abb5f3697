import {
  ConnectorError,
  type LaunchRequest,
  launchIdempotently,
  launchIndexOf,
  launchTags,
  type Vm,
  WireReader,
} from '@slipstream/connector-core';
import { templateDiskGb } from './catalog.js';
import { operationWait, type SessionContext } from './context.js';
import { unexpectedAnswer } from './errors.js';
import { ensureSshKey } from './keypairs.js';
import { idempotencyLabelValue, launchFilter } from './labels.js';
import { DISK_SIZE_GB } from './parameters.js';
import { toVms } from './vm.js';
import { awaitOperation } from './waits.js';
import {
  type ExoscaleOperation,
  type ExoscaleSecurityGroup,
  instanceOf,
  itemsOf,
  listOf,
  operationOf,
} from './wire.js';

/**
 * Launching, through core's idempotent launch: find what an earlier try with the same
 * idempotency key created (its labels), resolve the template, instance type, SSH key and
 * security groups, then create each missing instance (POST /instance) and wait for its operation.
 * Core looks again for an instance whose create answer was lost before reporting the failure.
 */

/**
 * A failure after Exoscale answered create-instance: waiting for its operation, or reading the
 * instance. The create's answer was not lost (Exoscale named the instance, and the error says it
 * may remain), yet core's launch takes any TIMEOUT or 5xx from a create for a lost answer, looks
 * the instance up and returns it, unfinished, as launched. Wrapped, the failure passes through
 * core's launch as it is, and is unwrapped once out of it.
 */
class AfterCreateAnswer extends Error {
  readonly failure: unknown;

  constructor(failure: unknown) {
    super('create-instance was answered, then failed');
    this.failure = failure;
  }
}

/** create-instance's `user-data` limit: 32 KiB of base64. */
const MAX_USER_DATA_BASE64 = 32_768;

interface Plan {
  readonly template: string;
  readonly instanceType: string;
  readonly diskSize: number;
  readonly sshKey: string | undefined;
  readonly userData: string | undefined;
  readonly securityGroups: readonly string[];
}

export async function launch(
  context: SessionContext,
  request: LaunchRequest,
  signal: AbortSignal | undefined,
): Promise<Vm[]> {
  const { zone } = context.settings;
  if (request.zone !== undefined && request.zone !== zone) {
    throw new ConnectorError(
      'INVALID_REQUEST',
      `This connector instance works in zone ${zone}, not ${request.zone}: launch there through an instance configured with zone=${request.zone}.`,
    );
  }
  const labelValue = idempotencyLabelValue(request.idempotencyKey);
  // Refuses reserved tag names before anything is looked up or created.
  launchTags(labelValue, 1, request.tags);
  const userData = encodeUserData(request.userData);

  // The instances as Exoscale answered them: their labels say which launch index they are.
  const instances = await launchIdempotently<unknown, Plan>(request, {
    find: () => findLaunched(context, request.idempotencyKey, signal),
    prepare: () => prepare(context, request, userData, signal),
    create: (index, name, plan) =>
      createOne(context, plan, name, launchTags(labelValue, index, request.tags), signal),
    identify: (instance) => {
      const wire = new WireReader(instance);
      return { id: wire.id('id') ?? '', name: wire.string('name') };
    },
    noun: 'instance',
    logger: context.logger,
  }).catch((error: unknown) => {
    throw error instanceof AfterCreateAnswer ? error.failure : error;
  });
  const vms = toVms(instances, context.settings.zone, context.logger, 'launch');
  context.logger.debug({ vms: vms.map((vm) => vm.id), idempotencyKey: request.idempotencyKey }, 'launch');
  return vms;
}

function encodeUserData(userData: string | undefined): string | undefined {
  if (userData === undefined || userData === '') return undefined;
  const encoded = Buffer.from(userData, 'utf8').toString('base64');
  if (encoded.length > MAX_USER_DATA_BASE64) {
    throw new ConnectorError(
      'INVALID_REQUEST',
      `"userData" is ${Buffer.byteLength(userData)} bytes; Exoscale accepts at most ${MAX_USER_DATA_BASE64} characters of base64, i.e. 24 KiB of user data. Compress it (cloud-init reads gzip) or fetch the rest from the VM.`,
    );
  }
  return encoded;
}

/** The instances of earlier tries of this launch, by launch index. */
async function findLaunched(
  context: SessionContext,
  key: string,
  signal: AbortSignal | undefined,
): Promise<Map<number, unknown>> {
  const data = await context.client.json<unknown>({
    operation: 'list-instances',
    method: 'GET',
    path: '/instance',
    query: { labels: launchFilter(key) },
    signal,
  });
  const value = idempotencyLabelValue(key);
  const found = new Map<number, unknown>();
  for (const item of listOf(data, 'instances', 'list-instances')) {
    const wire = new WireReader(item);
    if (wire.id('id') === undefined) continue;
    // Checked again here: the filter is the API's, the guarantee is ours.
    const index = launchIndexOf(wire.strings('labels'), value);
    if (index !== undefined && !found.has(index)) found.set(index, item);
  }
  return found;
}

async function prepare(
  context: SessionContext,
  request: LaunchRequest,
  userData: string | undefined,
  signal: AbortSignal | undefined,
): Promise<Plan> {
  const { client, catalog, settings } = context;
  const [template, instanceType, sshKey, securityGroups] = await Promise.all([
    catalog.resolveTemplate(request.image),
    catalog.resolveInstanceType(request.size),
    request.sshPublicKey === undefined
      ? undefined
      : ensureSshKey(client, request.sshPublicKey, operationWait(context, signal)),
    resolveSecurityGroups(context, signal),
  ]);
  const diskSize = Math.max(settings.diskSizeGb, templateDiskGb(template));
  if (diskSize > DISK_SIZE_GB.max) {
    throw new ConnectorError(
      'INVALID_REQUEST',
      `Template "${template.name ?? template.id}" needs a ${diskSize} GiB disk, more than Exoscale's ${DISK_SIZE_GB.max} GiB.`,
    );
  }
  return {
    template: template.id,
    instanceType: instanceType.id,
    diskSize,
    sshKey,
    userData,
    securityGroups,
  };
}

/** The configured security groups' ids; names are looked up, every unknown one reported. */
async function resolveSecurityGroups(
  context: SessionContext,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  const wanted = context.settings.securityGroups;
  if (wanted.length === 0) return [];
  const data = await context.client.json<unknown>({
    operation: 'list-security-groups',
    method: 'GET',
    path: '/security-group',
    signal,
  });
  const groups = itemsOf<ExoscaleSecurityGroup>(data, 'security-groups', 'list-security-groups');
  const ids: string[] = [];
  const unknown: string[] = [];
  for (const reference of wanted) {
    const group = groups.find((g) => g.id === reference) ?? groups.find((g) => g.name === reference);
    if (group) ids.push(group.id);
    else unknown.push(reference);
  }
  if (unknown.length > 0) {
    throw new ConnectorError(
      'CONFIG_INVALID',
      `Parameter "security.groups" names security groups this organization does not have: ${unknown.join(', ')}. Existing: ${groups.map((g) => g.name ?? g.id).join(', ') || 'none'}.`,
    );
  }
  return [...new Set(ids)];
}

async function createOne(
  context: SessionContext,
  plan: Plan,
  name: string,
  labels: Readonly<Record<string, string>>,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  const { client } = context;
  const body = {
    name,
    'instance-type': { id: plan.instanceType },
    template: { id: plan.template },
    'disk-size': plan.diskSize,
    ...(plan.sshKey === undefined ? {} : { 'ssh-keys': [{ name: plan.sshKey }] }),
    ...(plan.userData === undefined ? {} : { 'user-data': plan.userData }),
    ...(plan.securityGroups.length === 0
      ? {}
      : { 'security-groups': plan.securityGroups.map((id) => ({ id })) }),
    labels,
  };
  const answer = await client.json<unknown>({
    operation: 'create-instance',
    method: 'POST',
    path: '/instance',
    body,
    signal,
  });
  try {
    return await awaitCreated(context, operationOf(answer, 'create-instance'), signal);
  } catch (error) {
    throw new AfterCreateAnswer(error);
  }
}

/** The instance of a create-instance operation, once the operation has succeeded. */
async function awaitCreated(
  context: SessionContext,
  operation: ExoscaleOperation,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  const { client } = context;
  let id = operation.reference?.id;
  try {
    const done = await awaitOperation(client, operation, 'create-instance', operationWait(context, signal));
    id = done.reference?.id ?? id;
  } catch (error) {
    if (ConnectorError.is(error) && id !== undefined && error.code !== 'ABORTED') {
      throw new ConnectorError(
        error.code,
        `${error.message} Instance ${id} may remain; terminate it if so.`,
        {
          cause: error,
          status: error.status,
          retryable: error.retryable,
          retryAfterMs: error.retryAfterMs,
        },
      );
    }
    throw error;
  }
  if (id === undefined) throw unexpectedAnswer('create-instance', 'the operation names no instance');
  const instance = await client.json<unknown>({
    operation: 'get-instance',
    method: 'GET',
    path: `/instance/${encodeURIComponent(id)}`,
    signal,
  });
  return instanceOf(instance, 'get-instance');
}
