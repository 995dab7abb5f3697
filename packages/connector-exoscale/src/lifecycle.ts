import { ConnectorError, type Vm } from '@slipstream/connector-core';
import { operationWait, type SessionContext } from './context.js';
import { DELETING_STATES, getInstance, isInstanceId } from './vm.js';
import { awaitOperation } from './waits.js';
import { operationOf } from './wire.js';

/**
 * terminate, stop and start over a batch of ids. Every id is looked up first, so that an unknown
 * one fails the batch before anything changes; then each instance that needs the change gets its
 * request, and the call returns once Exoscale's operations have completed. An instance already
 * where the call would take it is left alone: repeating a call is harmless.
 */

type Found = { readonly kind: 'instance'; readonly vm: Vm } | { readonly kind: 'deleted' };

/**
 * Each id's instance, or `deleted` for one this connector instance deleted and Exoscale has
 * since forgotten. NOT_FOUND, naming them all, when any id is unknown to both.
 */
async function lookUp(
  context: SessionContext,
  ids: readonly string[],
  what: string,
  signal: AbortSignal | undefined,
): Promise<Map<string, Found>> {
  const found = new Map<string, Found>();
  await Promise.all(
    ids.map(async (id) => {
      const vm = isInstanceId(id) ? await getInstance(context, id, signal) : undefined;
      if (vm) found.set(id, { kind: 'instance', vm });
      else if (context.deleted.has(id.toLowerCase())) found.set(id, { kind: 'deleted' });
    }),
  );
  const unknown = ids.filter((id) => !found.has(id));
  if (unknown.length > 0) {
    const malformed = unknown.some((id) => !isInstanceId(id)) ? ' (Exoscale instance ids are UUIDs)' : '';
    throw new ConnectorError(
      'NOT_FOUND',
      `Cannot ${what}: zone ${context.settings.zone} has no instance ${unknown.join(', ')}${malformed}; nothing was changed.`,
    );
  }
  return found;
}

export async function terminate(
  context: SessionContext,
  ids: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  const found = await lookUp(context, ids, 'terminate', signal);
  const targets = ids.filter((id) => {
    const entry = found.get(id);
    return entry?.kind === 'instance' && !DELETING_STATES.has(entry.vm.rawState);
  });
  await Promise.all(
    targets.map(async (id) => {
      const answer = await context.client.call<unknown>({
        operation: 'delete-instance',
        method: 'DELETE',
        path: `/instance/${encodeURIComponent(id)}`,
        signal,
        // Gone meanwhile, or already being deleted (a retried DELETE whose first answer was lost).
        acceptStatus: [404, 409],
      });
      context.deleted.add(id.toLowerCase());
      if (answer.status === 404) return;
      if (answer.status === 409) {
        const now = await getInstance(context, id, signal);
        if (now === undefined || DELETING_STATES.has(now.rawState)) return;
        throw (
          answer.error ??
          new ConnectorError('INVALID_REQUEST', `Exoscale refused to delete instance ${id} (HTTP 409).`)
        );
      }
      await awaitOperation(
        context.client,
        operationOf(answer.data, 'delete-instance'),
        'delete-instance',
        operationWait(context, signal),
      );
    }),
  );
  context.logger.debug({ vms: ids, deleted: targets }, 'terminate');
}

interface Change {
  readonly what: 'stop' | 'start';
  readonly operation: 'stop-instance' | 'start-instance';
  /** States in which the instance already is where the change would take it. */
  readonly done: ReadonlySet<string>;
  /** start-instance requires a JSON body (its optional rescue profile); stop-instance takes none. */
  readonly body: Record<string, never> | undefined;
}

const STOP: Change = {
  what: 'stop',
  operation: 'stop-instance',
  done: new Set(['stopping', 'stopped']),
  body: undefined,
};
const START: Change = {
  what: 'start',
  operation: 'start-instance',
  done: new Set(['starting', 'running', 'migrating']),
  body: {},
};

async function change(
  context: SessionContext,
  spec: Change,
  ids: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  const found = await lookUp(context, ids, spec.what, signal);
  const refused = ids.filter((id) => {
    const entry = found.get(id);
    return entry?.kind !== 'instance' || DELETING_STATES.has(entry.vm.rawState);
  });
  if (refused.length > 0) {
    throw new ConnectorError(
      'INVALID_REQUEST',
      `Cannot ${spec.what} ${refused.join(', ')}: terminated or being terminated; nothing was changed.`,
    );
  }
  const targets = ids.filter((id) => {
    const entry = found.get(id) as { vm: Vm };
    return !spec.done.has(entry.vm.rawState);
  });
  await Promise.all(
    targets.map(async (id) => {
      const answer = await context.client.call<unknown>({
        operation: spec.operation,
        method: 'PUT',
        path: `/instance/${encodeURIComponent(id)}:${spec.what}`,
        body: spec.body,
        signal,
        acceptStatus: [409],
      });
      if (answer.status === 409) {
        // A retried PUT whose first answer was lost finds the change under way: that is success.
        const now = await getInstance(context, id, signal);
        if (now && spec.done.has(now.rawState)) return;
        throw new ConnectorError(
          'INVALID_REQUEST',
          `Cannot ${spec.what} instance ${id} while it is ${now?.rawState || 'gone'}: ${answer.error?.message ?? 'Exoscale refused it'}`,
          { status: 409 },
        );
      }
      await awaitOperation(
        context.client,
        operationOf(answer.data, spec.operation),
        spec.operation,
        operationWait(context, signal),
      );
    }),
  );
  context.logger.debug({ vms: ids, changed: targets }, spec.what);
}

export function stop(
  context: SessionContext,
  ids: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  return change(context, STOP, ids, signal);
}

export function start(
  context: SessionContext,
  ids: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  return change(context, START, ids, signal);
}
