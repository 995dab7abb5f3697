import { ConnectorError, poll } from '@slipstream/connector-core';
import type { ExoscaleClient } from './client.js';
import { errorFromOperation, unexpectedAnswer } from './errors.js';
import { type ExoscaleOperation, operationOf } from './wire.js';

/**
 * Waiting for Exoscale operations. Every change (create, start, stop, delete, SSH key import)
 * answers an operation that is `pending` until the work is done, then `success`, `failure` or
 * `timeout`; egoscale polls GET /operation/{id} at a fixed interval, and so does this.
 */

export interface OperationWait {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

/** Resolves with the successful operation; rejects with its failure mapped to a code. */
export async function awaitOperation(
  client: ExoscaleClient,
  first: ExoscaleOperation,
  what: string,
  wait: OperationWait,
): Promise<ExoscaleOperation> {
  const named = `Exoscale operation ${first.id} (${what})`;
  const settled = (operation: ExoscaleOperation): ExoscaleOperation | undefined => {
    switch (operation.state) {
      case 'success':
        return operation;
      case 'failure':
      case 'timeout':
        throw errorFromOperation(what, operation);
      case 'pending':
        return undefined;
      default:
        throw unexpectedAnswer(`operation ${operation.id} (${what})`, `unknown state "${operation.state}"`);
    }
  };
  // The answer that started the work is read as it is: an operation already complete needs no poll.
  const done = settled(first);
  if (done) return done;
  return poll(
    {
      interval: wait.intervalMs,
      timeout: wait.timeoutMs,
      signal: wait.signal,
      // The work has just started: looking at it again at once would only find it pending.
      pauseFirst: true,
      what: named,
      timeoutError: () =>
        new ConnectorError(
          'TIMEOUT',
          `${named} was still pending after ${wait.timeoutMs} ms; it may still complete (raise "operation.timeout.ms" to wait longer).`,
        ),
    },
    async () => {
      const data = await client.json<unknown>({
        operation: 'get-operation',
        method: 'GET',
        path: `/operation/${encodeURIComponent(first.id)}`,
        signal: wait.signal,
      });
      return settled(operationOf(data, 'get-operation'));
    },
  );
}
