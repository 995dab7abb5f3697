import {
  ConnectorError,
  LAUNCH_TAGS,
  type LaunchRequest,
  launchIdempotently,
  launchIndexOf,
  launchNames,
  launchTags,
  readId,
  type Vm,
  type Zone,
} from '@slipstream/connector-core';
import { type CatalogTemplate, listOfferings, listTemplates, listZones, pick, toSize } from './catalog.js';
import type { CloudStackClient, Json } from './client.js';
import type { SessionContext } from './context.js';
import { ensureKeyPair } from './keypairs.js';
import {
  describeVms,
  findVms,
  isConnectorTag,
  type LaunchTagNames,
  LEGACY_LAUNCH_TAGS,
  tagsOf,
} from './vm.js';
import { jobSearchStart, type PendingJob, throwFailures } from './waits.js';
import { isoTime, text } from './wire.js';

/**
 * Launching VMs with deployVirtualMachine through core's launchIdempotently. Each VM the connector
 * deploys is tagged at once with the launch's idempotency key and its index in the launch (core's
 * launch tags); a launch first finds the VMs earlier tries made, by those tags or by the spelling
 * earlier versions of the connector wrote, and deploys only the missing ones, one after the other.
 * When a deploy's answer is lost, core looks again: the VM the cloud made was not tagged yet, so it
 * is found by its name, then tagged, and its deployment waited for.
 */

/** What CloudStack accepts as a VM `name` (a host name): otherwise only `displayname` is set. */
const HOST_NAME = /^[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;

/** States of VMs a retried launch does not count as made: failed or on their way out. */
const DISCARDED = new Set(['Error', 'Destroyed', 'Expunging']);

/** The keyword a launch uses for the instance's default template or offering. */
const DEFAULT = 'default';

/** What deploying needs, resolved once per launch and only when a VM is missing. */
interface Deployment {
  readonly zone: Zone;
  readonly template: CatalogTemplate;
  readonly offeringId: string;
  readonly keyPair: string | undefined;
}

/** A VM of the launch, as finding or deploying it left it. */
interface LaunchedVm {
  readonly id: string;
  readonly name: string | undefined;
  /** Jobs the launch waits for before it returns: the VM's deployment and its tagging. */
  readonly jobs: readonly PendingJob[];
  /** Set for a VM found by its name and not tagged yet: its listing, to find its deployment job. */
  readonly untagged?: Json | undefined;
}

export async function launch(
  context: SessionContext,
  request: LaunchRequest,
  signal: AbortSignal | undefined,
): Promise<Vm[]> {
  const { client, logger } = context;
  checkTags(request.tags ?? {});
  const launched = await launchIdempotently<LaunchedVm, Deployment>(request, {
    find: () => findLaunched(client, request, signal),
    prepare: () => resolveDeployment(context, request, signal),
    create: (index, name, deployment) => deploy(context, request, deployment, index, name, signal),
    identify: (vm) => ({ id: vm.id, name: vm.name }),
    // One at a time, so that a resource limit stops the launch at the first VM it refuses.
    sequential: true,
    logger,
  });
  const jobs: PendingJob[] = [];
  for (const [i, vm] of launched.entries()) {
    jobs.push(...vm.jobs);
    if (vm.untagged === undefined) continue;
    logger.info({ vm: vm.id, index: i + 1 }, 'cloudstack launch adopts an untagged VM of the same name');
    jobs.push(...(await pendingDeployJobs(client, vm.untagged, signal)));
    jobs.push(await tag(client, vm.id, i + 1, request, signal));
  }
  const ids = launched.map((vm) => vm.id);
  const { failures } = await context.jobs.settle(jobs, signal);
  if (failures.size > 0) {
    await cleanUpFailedDeploys(context, jobs, failures, ids);
    throwFailures(failures);
  }
  return describeVms(client, ids, logger, { signal });
}

/** CloudStack refuses tags without a value, and the connector's own keys (either spelling) are reserved. */
function checkTags(tags: Readonly<Record<string, string>>): void {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(tags)) {
    if (value === '') problems.push(`tag "${key}" has an empty value, which CloudStack refuses`);
    if (isConnectorTag(key)) problems.push(`tag "${key}" is reserved by the connector`);
  }
  if (problems.length > 0) {
    throw new ConnectorError('INVALID_REQUEST', `The launch's tags are invalid: ${problems.join('; ')}.`);
  }
}

/**
 * The VMs earlier tries of this launch made, by launch index: those carrying its key (in core's
 * spelling, or in the one earlier versions wrote), then, for indexes still missing, untagged VMs
 * named as those indexes.
 */
async function findLaunched(
  client: CloudStackClient,
  request: LaunchRequest,
  signal: AbortSignal | undefined,
): Promise<Map<number, LaunchedVm>> {
  const key = request.idempotencyKey;
  const found = new Map<number, LaunchedVm>();
  for (const spelling of [LAUNCH_TAGS, LEGACY_LAUNCH_TAGS] as const) {
    const { items } = await client.list(
      'listVirtualMachines',
      { 'tags[0].key': spelling.idempotencyKey, 'tags[0].value': key },
      'virtualmachine',
      { signal },
    );
    for (const raw of items) {
      const id = readId(raw.id);
      if (id === undefined || DISCARDED.has(text(raw, 'state') ?? '')) continue;
      // Checked again here: the filter is the API's, the guarantee is ours.
      const index = launchIndexOf(inCoreSpelling(tagsOf(raw), spelling), key);
      if (index !== undefined && !found.has(index)) found.set(index, { id, name: nameOf(raw), jobs: [] });
    }
  }
  const names = launchNames(request);
  if (names.some((_, i) => !found.has(i + 1))) {
    for (const [index, raw] of await byName(client, request.name, names, found, signal)) {
      found.set(index, { id: readId(raw.id) as string, name: nameOf(raw), jobs: [], untagged: raw });
    }
  }
  return found;
}

/** A VM's launch tags as core names them, read from the tag names `spelling` gives them. */
function inCoreSpelling(
  tags: Readonly<Record<string, string>>,
  spelling: LaunchTagNames,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const role of ['idempotencyKey', 'launchIndex'] as const) {
    const value = tags[spelling[role]];
    if (value !== undefined) result[LAUNCH_TAGS[role]] = value;
  }
  return result;
}

/** The name the user gave a VM: `displayname`; `name` is the host name CloudStack may have made up. */
function nameOf(raw: Json): string | undefined {
  return text(raw, 'displayname') || text(raw, 'name');
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
  taken: ReadonlyMap<number, LaunchedVm>,
  signal: AbortSignal | undefined,
): Promise<Map<number, Json>> {
  const { items } = await client.list('listVirtualMachines', { keyword: baseName }, 'virtualmachine', {
    signal,
  });
  const found = new Map<number, Json>();
  const used = new Set([...taken.values()].map((vm) => vm.id));
  names.forEach((name, i) => {
    const index = i + 1;
    if (taken.has(index)) return;
    const match = items.find((raw) => {
      const id = readId(raw.id);
      const tags = tagsOf(raw);
      return (
        id !== undefined &&
        !used.has(id) &&
        (text(raw, 'displayname') === name || text(raw, 'name') === name) &&
        !DISCARDED.has(text(raw, 'state') ?? '') &&
        tags[LAUNCH_TAGS.idempotencyKey] === undefined &&
        tags[LEGACY_LAUNCH_TAGS.idempotencyKey] === undefined
      );
    });
    if (match) {
      found.set(index, match);
      used.add(readId(match.id) as string);
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
  const id = readId(raw.id);
  const created = isoTime(text(raw, 'created'));
  const startdate = created === undefined ? undefined : jobSearchStart(Date.parse(created));
  const { items } = await client.list('listAsyncJobs', { startdate }, 'asyncjobs', { signal });
  return items
    .filter((job) => text(job, 'jobinstanceid') === id && Number(job.jobstatus) === 0)
    .flatMap((job) => {
      const jobId = text(job, 'jobid');
      return jobId === undefined ? [] : [{ id: jobId, command: 'deployVirtualMachine' }];
    });
}

/**
 * Deploys the VM of one launch index and tags it at once: the sooner the key is on the VM, the
 * smaller the window in which a retry can find it only by its name. Returns without waiting for
 * the jobs, so that the launch waits for all of its VMs' jobs together.
 */
async function deploy(
  context: SessionContext,
  request: LaunchRequest,
  deployment: Deployment,
  index: number,
  name: string,
  signal: AbortSignal | undefined,
): Promise<LaunchedVm> {
  const { client, logger } = context;
  const { value, serverTime } = await client.request(
    'deployVirtualMachine',
    {
      zoneid: deployment.zone.id,
      templateid: deployment.template.id,
      serviceofferingid: deployment.offeringId,
      name: HOST_NAME.test(name) ? name : undefined,
      displayname: name,
      keypair: deployment.keyPair,
      userdata:
        request.userData === undefined ? undefined : Buffer.from(request.userData, 'utf8').toString('base64'),
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
  logger.debug({ vm: id, job: jobId, index, idempotencyKey: request.idempotencyKey }, 'cloudstack deploy');
  const deployJob: PendingJob = { id: jobId, command: 'deployVirtualMachine', serverTime };
  return { id, name, jobs: [deployJob, await tag(client, id, index, request, signal)] };
}

/** createTags with the user's tags and the connector's own; returns the tagging job. */
async function tag(
  client: CloudStackClient,
  id: string,
  index: number,
  request: LaunchRequest,
  signal: AbortSignal | undefined,
): Promise<PendingJob> {
  const params: Record<string, string> = { resourceids: id, resourcetype: 'UserVm' };
  Object.entries(launchTags(request.idempotencyKey, index, request.tags)).forEach(([key, value], i) => {
    params[`tags[${i}].key`] = key;
    params[`tags[${i}].value`] = value;
  });
  const { value, serverTime } = await client.request('createTags', params, { signal, idempotent: false });
  const jobId = text(value, 'jobid');
  if (jobId === undefined)
    throw new ConnectorError('CLOUD_ERROR', 'CloudStack createTags answered without a job id.');
  return { id: jobId, command: 'createTags', serverTime };
}

/**
 * Zone, template and offering of the launch, by id or name, with the instance's defaults, and the
 * key pair holding its SSH key.
 */
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
  const keyPair =
    request.sshPublicKey === undefined
      ? undefined
      : await ensureKeyPair(client, request.sshPublicKey, signal);
  return { zone, template, offeringId: offering.id, keyPair };
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
  ids: readonly string[],
): Promise<void> {
  const deployJobs = new Set(
    jobs.filter((job) => job.command === 'deployVirtualMachine').map((job) => job.id),
  );
  if (![...failures.keys()].some((id) => deployJobs.has(id))) return;
  try {
    const listed = await findVms(context.client, ids, {});
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
