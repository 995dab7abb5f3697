import { ConnectorError } from '@slipstream/connector-core';
import type { SessionContext } from './context.js';
import { missingInstanceIds } from './errors.js';
import { isInstanceId } from './vm.js';

/**
 * Terminate, stop and start, in batches. EC2 refuses a whole call when one id does not exist
 * (InvalidInstanceID.NotFound, naming the ids), so a refused batch is sent again without those
 * ids: for terminate, an id this user terminated before (EC2 forgets terminated instances after
 * about an hour) is done already; any other unknown id is NOT_FOUND, naming it.
 */

const BATCH = 100;

type Action = 'TerminateInstances' | 'StopInstances' | 'StartInstances';

function unknownIds(action: Action, ids: readonly string[]): ConnectorError {
  return new ConnectorError(
    'NOT_FOUND',
    `EC2 ${action}: no instance ${ids.map((id) => `"${id}"`).join(', ')} in this region; describe lists the instances there.`,
  );
}

async function send(
  context: SessionContext,
  action: Action,
  ids: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  await context.client.call(action, (sdk, ec2) => {
    const input = { InstanceIds: [...ids] };
    const command =
      action === 'TerminateInstances'
        ? new sdk.TerminateInstancesCommand(input)
        : action === 'StopInstances'
          ? new sdk.StopInstancesCommand(input)
          : new sdk.StartInstancesCommand(input);
    return ec2.send(command as never, { abortSignal: signal });
  });
}

async function inBatches(
  context: SessionContext,
  action: Action,
  ids: readonly string[],
  signal: AbortSignal | undefined,
  forgotten: (id: string) => boolean,
): Promise<void> {
  const unique = [...new Set(ids)];
  const malformed = unique.filter((id) => !isInstanceId(id));
  if (malformed.length > 0) throw unknownIds(action, malformed);
  for (let start = 0; start < unique.length; start += BATCH) {
    let batch = unique.slice(start, start + BATCH);
    while (batch.length > 0) {
      try {
        await send(context, action, batch, signal);
        break;
      } catch (error) {
        const missing =
          ConnectorError.is(error) && error.code === 'NOT_FOUND' ? missingInstanceIds(error.message) : [];
        const named = missing.filter((id) => batch.includes(id));
        if (named.length === 0) throw error;
        const unknown = named.filter((id) => !forgotten(id));
        if (unknown.length > 0) throw unknownIds(action, unknown);
        batch = batch.filter((id) => !named.includes(id));
      }
    }
  }
}

export async function terminate(
  context: SessionContext,
  ids: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  await inBatches(context, 'TerminateInstances', ids, signal, (id) => context.deleted.has(id));
  for (const id of ids) context.deleted.add(id);
  context.logger.info({ instances: [...new Set(ids)] }, 'EC2 instances terminating');
}

export function stop(
  context: SessionContext,
  ids: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  return inBatches(context, 'StopInstances', ids, signal, () => false);
}

export function start(
  context: SessionContext,
  ids: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  return inBatches(context, 'StartInstances', ids, signal, () => false);
}
