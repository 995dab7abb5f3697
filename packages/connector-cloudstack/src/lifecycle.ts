import { ConnectorError } from '@slipstream/connector-core';
import type { CloudStackClient, Json } from './client.js';
import type { SessionContext } from './context.js';
import { resolveVms } from './vm.js';
import { type PendingJob, throwFailures } from './waits.js';
import { text } from './wire.js';

/**
 * terminate, stop and start: every id is checked first (one unknown id fails the whole call
 * before anything changes), then one command per VM that needs it, then the jobs are waited for
 * together.
 */

/** The cloud's refusal of `expunge=true` (allow.user.expunge.recover.vm is off). */
const EXPUNGE_REFUSED = /allow\.user\.expunge\.recover\.vm|expunge can be passed by admin only/i;

export async function terminate(
  context: SessionContext,
  ids: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  const { found } = await resolveVms(context.client, ids, { signal });
  const targets: Array<{ id: string; expunge: boolean }> = [];
  for (const id of ids) {
    const raw = found.get(id);
    // Gone already, or on its way: terminating again is a success.
    if (!raw) continue;
    const state = text(raw, 'state');
    const expunge = context.settings.expungeOnTerminate && !context.expungeRefused.value;
    if (state === 'Expunging' || (state === 'Destroyed' && !expunge)) continue;
    targets.push({ id, expunge });
  }
  const refused = await destroyAll(context, targets, signal);
  if (refused.length > 0) {
    context.expungeRefused.value = true;
    context.logger.warn(
      { vms: refused },
      'cloudstack refuses expunge=true for this account (allow.user.expunge.recover.vm is off): destroying without expunge; the cloud expunges the VMs later',
    );
    await destroyAll(
      context,
      refused.map((id) => ({ id, expunge: false })),
      signal,
    );
  }
}

/** Destroys the VMs and waits; returns the ids whose expunge the cloud refused, for a plain destroy. */
async function destroyAll(
  context: SessionContext,
  targets: ReadonlyArray<{ id: string; expunge: boolean }>,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  const refused: string[] = [];
  const jobs: PendingJob[] = [];
  const vmOfJob = new Map<string, string>();
  for (const { id, expunge } of targets) {
    try {
      const job = await command(context.client, 'destroyVirtualMachine', { id, expunge }, signal);
      jobs.push(job);
      vmOfJob.set(job.id, id);
    } catch (error) {
      if (expunge && ConnectorError.is(error) && EXPUNGE_REFUSED.test(error.message)) refused.push(id);
      else throw error;
    }
  }
  const { failures } = await context.jobs.settle(jobs, signal);
  for (const [jobId, error] of failures) {
    const id = vmOfJob.get(jobId);
    if (
      id !== undefined &&
      targets.find((t) => t.id === id)?.expunge &&
      EXPUNGE_REFUSED.test(error.message)
    ) {
      failures.delete(jobId);
      refused.push(id);
    }
  }
  throwFailures(failures);
  return refused;
}

export async function stop(
  context: SessionContext,
  ids: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  await change(context, ids, signal, {
    command: 'stopVirtualMachine',
    act: ['Running'],
    skip: ['Stopped', 'Stopping'],
    verb: 'stop',
  });
}

export async function start(
  context: SessionContext,
  ids: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  await change(context, ids, signal, {
    command: 'startVirtualMachine',
    act: ['Stopped'],
    skip: ['Running', 'Starting'],
    verb: 'start',
  });
}

interface Change {
  readonly command: string;
  /** States in which the command is sent. */
  readonly act: readonly string[];
  /** States that already are (or lead to) the goal: nothing to do. */
  readonly skip: readonly string[];
  readonly verb: string;
}

async function change(
  context: SessionContext,
  ids: readonly string[],
  signal: AbortSignal | undefined,
  how: Change,
): Promise<void> {
  const { found } = await resolveVms(context.client, ids, { signal });
  const problems: string[] = [];
  const targets: string[] = [];
  for (const id of ids) {
    const raw: Json | undefined = found.get(id);
    const state = raw ? (text(raw, 'state') ?? 'Unknown') : 'expunged';
    if (how.act.includes(state)) targets.push(id);
    else if (!how.skip.includes(state)) problems.push(`VM ${id} is ${state}`);
  }
  if (problems.length > 0) {
    throw new ConnectorError(
      'INVALID_REQUEST',
      `Cannot ${how.verb} ${problems.join('; ')}: only ${how.act.join(' or ')} VMs can be ${how.verb === 'stop' ? 'stopped' : 'started'}. Nothing was changed.`,
    );
  }
  const jobs: PendingJob[] = [];
  for (const id of targets) jobs.push(await command(context.client, how.command, { id }, signal));
  await context.jobs.wait(jobs, signal);
  if (targets.length > 0) context.logger.debug({ vms: targets }, `cloudstack ${how.verb}`);
}

/** Sends an asynchronous VM command; returns its job. */
async function command(
  client: CloudStackClient,
  name: string,
  params: Readonly<Record<string, string | boolean>>,
  signal: AbortSignal | undefined,
): Promise<PendingJob> {
  const { value, serverTime } = await client.request(name, params, { signal, idempotent: false });
  const jobId = text(value, 'jobid');
  if (jobId === undefined)
    throw new ConnectorError('CLOUD_ERROR', `CloudStack ${name} answered without a job id.`);
  return { id: jobId, command: name, serverTime };
}
