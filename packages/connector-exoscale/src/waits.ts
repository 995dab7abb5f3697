import { ConnectorError, sleep } from '@slipstream/connector-core';
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
  const deadline = Date.now() + wait.timeoutMs;
  let operation = first;
  for (;;) {
    switch (operation.state) {
      case 'success':
        return operation;
      case 'failure':
      case 'timeout':
        throw errorFromOperation(what, operation);
      case 'pending':
        break;
      default:
        throw unexpectedAnswer(`operation ${operation.id} (${what})`, `unknown state "${operation.state}"`);
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new ConnectorError(
        'TIMEOUT',
        `Exoscale operation ${operation.id} (${what}) was still pending after ${wait.timeoutMs} ms; it may still complete (raise "operation.timeout.ms" to wait longer).`,
      );
    }
    await sleep(Math.min(wait.intervalMs, remaining), wait.signal);
    const data = await client.json<unknown>({
      operation: 'get-operation',
      method: 'GET',
      path: `/operation/${encodeURIComponent(operation.id)}`,
      signal: wait.signal,
    });
    operation = operationOf(data, 'get-operation');
  }
}
