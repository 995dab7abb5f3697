import {
  ConnectorError,
  type LaunchRequest,
  launchNames,
  type Vm,
  type Zone,
} from '@slipstream/connector-core';
import { type CatalogTemplate, listOfferings, listTemplates, listZones, pick, toSize } from './catalog.js';
import { arrayOf, type CloudStackClient, type Json } from './client.js';
import type { SessionContext } from './context.js';
import { ensureKeyPair } from './keypairs.js';
import { describeVms, findVms, INTERNAL_TAGS, tagsOf } from './vm.js';
import { jobSearchStart, type PendingJob, throwFailures } from './waits.js';
import { isoTime, text } from './wire.js';

/**
 * Launching VMs with deployVirtualMachine, safely retried. Each VM the connector deploys is
 * tagged at once with the launch's idempotency key and its index in the launch; a launch first
 * looks for VMs carrying its key and creates only the ones missing. A VM whose tagging never
 * happened (the answer to deployVirtualMachine was lost) is found by its name instead.
 */

/** What CloudStack accepts as a VM `name` (a host name): otherwise only `displayname` is set. */
const HOST_NAME = /^[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;

/** States of VMs a retried launch does not count as made: failed or on their way out. */
const DISCARDED = new Set(['Error', 'Destroyed', 'Expunging']);

/** The keyword a launch uses for the instance's default template or offering. */
const DEFAULT = 'default';

interface Deployment {
  readonly zone: Zone;
  readonly template: CatalogTemplate;
  readonly offeringId: string;
}

export async function launch(
  context: SessionContext,
  request: LaunchRequest,
  signal: AbortSignal | undefined,
): Promise<Vm[]> {
  const { client, logger } = context;
  const count = request.count ?? 1;
  const names = launchNames(request);
  checkTags(request.tags ?? {});
  const ids = new Map<number, string>();
  const jobs: PendingJob[] = [];
  const toTag: Array<{ index: number; id: string }> = [];

  for (const [index, raw] of await byIdempotencyKey(client, request.idempotencyKey, count, signal)) {
    ids.set(index, text(raw, 'id') as string);
  }
  if (ids.size < count) {
    for (const [index, raw] of await byName(client, request.name, names, ids, signal)) {
      const id = text(raw, 'id') as string;
      logger.info({ vm: id, index }, 'cloudstack launch adopts an untagged VM of the same name');
      ids.set(index, id);
      toTag.push({ index, id });
      jobs.push(...(await pendingDeployJobs(client, raw, signal)));
    }
  }
  if (ids.size < count) {
    const deployment = await resolveDeployment(context, request, signal);
    const keyPair =
      request.sshPublicKey === undefined
        ? undefined
        : await ensureKeyPair(client, request.sshPublicKey, signal);
    for (let index = 1; index <= count; index += 1) {
      if (ids.has(index)) continue;
      const name = names[index - 1] as string;
      const { value, serverTime } = await client.request(
        'deployVirtualMachine',
        {
          zoneid: deployment.zone.id,
          templateid: deployment.template.id,
          serviceofferingid: deployment.offeringId,
          name: HOST_NAME.test(name) ? name : undefined,
          displayname: name,
          keypair: keyPair,
          userdata:
            request.userData === undefined
              ? undefined
              : Buffer.from(request.userData, 'utf8').toString('base64'),
        },
        // POST: user data may be up to 32 KB, far more than a URL carries.
        { signal, method: 'POST', idempotent: false },
      );
      const id = text(value, 'id');
      const jobId = text(value, 'jobid');
      if (id === undefined || jobId === undefined) {
        throw new ConnectorError(
          'CLOUD_ERROR',
          'CloudStack deployVirtualMachine answered without the VM id and job id.',
        );
      }
      logger.debug(
        { vm: id, job: jobId, index, idempotencyKey: request.idempotencyKey },
        'cloudstack deploy',
      );
      ids.set(index, id);
      jobs.push({ id: jobId, command: 'deployVirtualMachine', serverTime });
      // Tag at once: the sooner the key is on the VM, the smaller the window a retry cannot see it in.
      jobs.push(await tag(client, id, index, request, signal));
    }
  }
  for (const { index, id } of toTag) jobs.push(await tag(client, id, index, request, signal));

  const { failures } = await context.jobs.settle(jobs, signal);
  if (failures.size > 0) {
    await cleanUpFailedDeploys(context, jobs, failures, ids);
    throwFailures(failures);
  }
  const ordered = [...ids.entries()].sort(([a], [b]) => a - b).map(([, id]) => id);
  return describeVms(client, ordered, logger, { signal });
}

const RESERVED_TAGS: ReadonlySet<string> = new Set(Object.values(INTERNAL_TAGS));

/** CloudStack refuses tags without a value, and the connector's own keys are reserved. */
function checkTags(tags: Readonly<Record<string, string>>): void {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(tags)) {
    if (value === '') problems.push(`tag "${key}" has an empty value, which CloudStack refuses`);
    if (RESERVED_TAGS.has(key)) problems.push(`tag "${key}" is reserved by the connector`);
  }
  if (problems.length > 0) {
    throw new ConnectorError('INVALID_REQUEST', `The launch's tags are invalid: ${problems.join('; ')}.`);
  }
}

/** The launch's VMs that already exist, by index, found by the idempotency tag. */
async function byIdempotencyKey(
  client: CloudStackClient,
  key: string,
  count: number,
  signal: AbortSignal | undefined,
): Promise<Map<number, Json>> {
  const { items } = await client.list(
    'listVirtualMachines',
    { 'tags[0].key': INTERNAL_TAGS.idempotencyKey, 'tags[0].value': key },
    'virtualmachine',
    { signal },
  );
  const found = new Map<number, Json>();
  for (const raw of items) {
    const internal = tagsOf(raw);
    if (internal[INTERNAL_TAGS.idempotencyKey] !== key || DISCARDED.has(text(raw, 'state') ?? '')) continue;
    const index = Number(internal[INTERNAL_TAGS.launchIndex] ?? '1');
    if (Number.isInteger(index) && index >= 1 && index <= count && !found.has(index)) found.set(index, raw);
  }
  return found;
}

/**
 * VMs a lost deployVirtualMachine answer left behind: live, named as the missing indexes, and not
 * tagged by any launch. CloudStack refuses a second VM with the same host name on a network, so
 * such a VM is the one an earlier attempt created.
 */
async function byName(
  client: CloudStackClient,
  baseName: string,
  names: readonly string[],
  taken: ReadonlyMap<number, string>,
  signal: AbortSignal | undefined,
): Promise<Map<number, Json>> {
  const { items } = await client.list('listVirtualMachines', { keyword: baseName }, 'virtualmachine', {
    signal,
  });
  const found = new Map<number, Json>();
  const used = new Set(taken.values());
  names.forEach((name, i) => {
    const index = i + 1;
    if (taken.has(index)) return;
    const match = items.find(
      (raw) =>
        (text(raw, 'displayname') === name || text(raw, 'name') === name) &&
        !DISCARDED.has(text(raw, 'state') ?? '') &&
        tagsOf(raw)[INTERNAL_TAGS.idempotencyKey] === undefined &&
        !used.has(text(raw, 'id') ?? ''),
    );
    if (match) {
      found.set(index, match);
      used.add(text(match, 'id') ?? '');
    }
  });
  return found;
}

/** The deploy job still running on an adopted VM, if any, so that the launch waits for it too. */
async function pendingDeployJobs(
  client: CloudStackClient,
  raw: Json,
  signal: AbortSignal | undefined,
): Promise<PendingJob[]> {
  if (text(raw, 'state') !== 'Starting') return [];
  const id = text(raw, 'id');
  const created = isoTime(text(raw, 'created'));
  const startdate = created === undefined ? undefined : jobSearchStart(Date.parse(created));
  const { items } = await client.list('listAsyncJobs', { startdate }, 'asyncjobs', { signal });
  return arrayOf(items)
    .filter((job) => text(job, 'jobinstanceid') === id && Number(job.jobstatus) === 0)
    .map((job) => ({ id: text(job, 'jobid') as string, command: 'deployVirtualMachine' }))
    .filter((job) => job.id !== undefined);
}

/** createTags with the user's tags and the connector's own; returns the tagging job. */
async function tag(
  client: CloudStackClient,
  id: string,
  index: number,
  request: LaunchRequest,
  signal: AbortSignal | undefined,
): Promise<PendingJob> {
  const tags: Record<string, string> = {
    ...request.tags,
    [INTERNAL_TAGS.idempotencyKey]: request.idempotencyKey,
    [INTERNAL_TAGS.launchIndex]: String(index),
  };
  const params: Record<string, string> = { resourceids: id, resourcetype: 'UserVm' };
  Object.entries(tags).forEach(([key, value], i) => {
    params[`tags[${i}].key`] = key;
    params[`tags[${i}].value`] = value;
  });
  const { value, serverTime } = await client.request('createTags', params, { signal, idempotent: false });
  const jobId = text(value, 'jobid');
  if (jobId === undefined)
    throw new ConnectorError('CLOUD_ERROR', 'CloudStack createTags answered without a job id.');
  return { id: jobId, command: 'createTags', serverTime };
}

/** Zone, template and offering of the launch, by id or name, with the instance's defaults. */
async function resolveDeployment(
  context: SessionContext,
  request: LaunchRequest,
  signal: AbortSignal | undefined,
): Promise<Deployment> {
  const { client, settings } = context;
  const zones = await listZones(client, signal);
  const wantedZone = request.zone ?? settings.zone;
  let zone: Zone;
  if (wantedZone !== undefined) {
    zone = pick(zones, wantedZone, 'zone');
  } else if (zones.length === 1) {
    zone = zones[0] as Zone;
  } else {
    throw new ConnectorError(
      'INVALID_REQUEST',
      `This cloud has ${zones.length} zones (${zones.map((z) => `"${z.name}"`).join(', ')}): name one in the launch, or set the instance parameter "zone".`,
    );
  }
  const template = pick(
    await listTemplates(client, signal, zone.id),
    defaulted(request.image, settings.template, 'image', 'template'),
    'template',
    ` in zone "${zone.name}"`,
  );
  const offering = pick(
    (await listOfferings(client, signal)).map(toSize),
    defaulted(request.size, settings.serviceOffering, 'size', 'service.offering'),
    'service offering',
  );
  return { zone, template, offeringId: offering.id };
}

/** `default` means the instance parameter's value; INVALID_REQUEST when it is not set. */
function defaulted(value: string, fallback: string | undefined, field: string, parameter: string): string {
  if (value.toLowerCase() !== DEFAULT) return value;
  if (fallback === undefined) {
    throw new ConnectorError(
      'INVALID_REQUEST',
      `The launch asks for the default ${field}, but the instance parameter "${parameter}" is not set: name the ${field}, or ask the administrator to set "${parameter}".`,
    );
  }
  return fallback;
}

/**
 * Destroys the VMs whose deployment failed: they sit in Error and count against the account's
 * limit. Best effort and without waiting for the destroy jobs: the launch's error is what the
 * caller needs to see, not a second one about the clean-up.
 */
async function cleanUpFailedDeploys(
  context: SessionContext,
  jobs: readonly PendingJob[],
  failures: ReadonlyMap<string, ConnectorError>,
  ids: ReadonlyMap<number, string>,
): Promise<void> {
  const deployJobs = new Set(
    jobs.filter((job) => job.command === 'deployVirtualMachine').map((job) => job.id),
  );
  if (![...failures.keys()].some((id) => deployJobs.has(id))) return;
  try {
    const listed = await findVms(context.client, [...ids.values()], {});
    for (const [id, raw] of listed) {
      if (text(raw, 'state') !== 'Error') continue;
      await context.client.request(
        'destroyVirtualMachine',
        { id, expunge: context.settings.expungeOnTerminate },
        { idempotent: false },
      );
      context.logger.info({ vm: id }, 'cloudstack launch destroys a VM whose deployment failed');
    }
  } catch (error) {
    context.logger.warn(
      { error: ConnectorError.is(error) ? error.code : 'unexpected' },
      'cloudstack could not clean up a failed deployment',
    );
  }
}
