import {
  ConnectorError,
  checkSameLaunch,
  isAmbiguousFailure,
  type LaunchRequest,
  launchNames,
  type Vm,
} from '@slipstream/connector-core';
import { templateDiskGb } from './catalog.js';
import { operationWait, type SessionContext } from './context.js';
import { unexpectedAnswer } from './errors.js';
import { ensureSshKey } from './keypairs.js';
import {
  IDEMPOTENCY_LABEL,
  idempotencyLabelValue,
  launchFilter,
  launchIndex,
  launchLabels,
} from './labels.js';
import { DISK_SIZE_GB } from './parameters.js';
import { toVm } from './vm.js';
import { awaitOperation } from './waits.js';
import {
  type ExoscaleInstance,
  type ExoscaleSecurityGroup,
  instanceOf,
  itemsOf,
  operationOf,
} from './wire.js';

/**
 * Launching: find what an earlier try with the same idempotency key created, resolve the
 * template, instance type, SSH key and security groups, then create each missing instance
 * (POST /instance) and wait for its operation. A create whose answer is lost (connection reset,
 * timeout, gateway error) is looked up by its labels before it is reported failed, so that the
 * instance it may have made is returned instead of left behind.
 */

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
  const names = launchNames(request);
  // Refuses reserved tag names before anything is created.
  launchLabels(request.idempotencyKey, 1, request.tags);
  const userData = encodeUserData(request.userData);

  const found = await findLaunched(context, request.idempotencyKey, signal);
  checkSameLaunch(found, names, request.idempotencyKey, 'instance');
  const missing = names.map((_, i) => i + 1).filter((index) => !found.has(index));
  if (missing.length > 0) {
    const plan = await prepare(context, request, userData, signal);
    const created = await Promise.allSettled(
      missing.map((index) => createOne(context, request, plan, index, names[index - 1] as string, signal)),
    );
    created.forEach((result, i) => {
      if (result.status === 'fulfilled') found.set(missing[i] as number, result.value);
    });
    const failure = created.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) {
      context.logger.warn(
        { created: [...found.values()].map((i) => i.id), idempotencyKey: request.idempotencyKey },
        'launch failed part-way; launching again with the same idempotency key creates only what is missing',
      );
      throw failure.reason;
    }
  }
  const vms = names.map((_, i) => toVm(found.get(i + 1) as ExoscaleInstance, zone));
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
): Promise<Map<number, ExoscaleInstance>> {
  const data = await context.client.json<unknown>({
    operation: 'list-instances',
    method: 'GET',
    path: '/instance',
    query: { labels: launchFilter(key) },
    signal,
  });
  const value = idempotencyLabelValue(key);
  const found = new Map<number, ExoscaleInstance>();
  for (const instance of itemsOf<ExoscaleInstance>(data, 'instances', 'list-instances')) {
    // Checked again here: the filter is the API's, the guarantee is ours.
    if (instance.labels?.[IDEMPOTENCY_LABEL] !== value) continue;
    const index = launchIndex(instance.labels);
    if (index !== undefined && !found.has(index)) found.set(index, instance);
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
  request: LaunchRequest,
  plan: Plan,
  index: number,
  name: string,
  signal: AbortSignal | undefined,
): Promise<ExoscaleInstance> {
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
    labels: launchLabels(request.idempotencyKey, index, request.tags),
  };
  let answer: unknown;
  try {
    answer = await client.json<unknown>({
      operation: 'create-instance',
      method: 'POST',
      path: '/instance',
      body,
      signal,
    });
  } catch (error) {
    if (!isAmbiguousFailure(error)) throw error;
    const made = (await findLaunched(context, request.idempotencyKey, signal)).get(index);
    if (!made) throw error;
    context.logger.info(
      { vm: made.id, idempotencyKey: request.idempotencyKey },
      'the create-instance answer was lost, but the instance exists: using it',
    );
    return made;
  }
  const operation = operationOf(answer, 'create-instance');
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
