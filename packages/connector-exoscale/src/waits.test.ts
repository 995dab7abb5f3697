import { ConnectorError } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import type { ApiRequest, ExoscaleClient } from './client.js';
import { awaitOperation } from './waits.js';
import type { ExoscaleOperation } from './wire.js';

/** An API whose GET /operation/{id} answers the given states in turn. */
function stubClient(answers: unknown[]): { client: ExoscaleClient; requests: ApiRequest[] } {
  const requests: ApiRequest[] = [];
  const client = {
    async json(request: ApiRequest) {
      requests.push(request);
      return answers.shift();
    },
  } as unknown as ExoscaleClient;
  return { client, requests };
}

const pending: ExoscaleOperation = { id: 'op-1', state: 'pending' };
// Far above what a loaded machine needs: the deadline only ends a test whose condition never comes.
const wait = { intervalMs: 1, timeoutMs: 20_000 };

async function rejection(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    if (ConnectorError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('awaitOperation', () => {
  it('polls GET /operation/{id} until the operation succeeds', async () => {
    const done = { id: 'op-1', state: 'success', reference: { id: 'vm-1' } };
    const { client, requests } = stubClient([pending, done]);
    await expect(awaitOperation(client, pending, 'create-instance', wait)).resolves.toEqual(done);
    expect(requests.map((r) => `${r.method} ${r.path} ${r.operation}`)).toEqual([
      'GET /operation/op-1 get-operation',
      'GET /operation/op-1 get-operation',
    ]);
  });

  it('returns an operation that is already complete without polling', async () => {
    const { client, requests } = stubClient([]);
    await awaitOperation(client, { id: 'op-1', state: 'success' }, 'register-ssh-key', wait);
    expect(requests).toEqual([]);
  });

  it('rejects with the failure mapped to a code', async () => {
    const { client } = stubClient([{ id: 'op-1', state: 'failure', reason: 'busy', message: 'Try again' }]);
    const error = await rejection(awaitOperation(client, pending, 'stop-instance', wait));
    expect(error.code).toBe('CLOUD_UNAVAILABLE');
    expect(error.message).toContain('Try again');
  });

  it('rejects TIMEOUT when the operation stays pending past the timeout', async () => {
    const { client } = stubClient(Array.from({ length: 100 }, () => pending));
    const error = await rejection(
      awaitOperation(client, pending, 'start-instance', { intervalMs: 5, timeoutMs: 20 }),
    );
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain('operation.timeout.ms');
  });

  it('rejects CLOUD_ERROR for an unknown state or an answer that is not an operation', async () => {
    expect(
      (await rejection(awaitOperation(stubClient([]).client, { id: 'op', state: 'weird' }, 'x', wait))).code,
    ).toBe('CLOUD_ERROR');
    expect(
      (await rejection(awaitOperation(stubClient([{ nope: true }]).client, pending, 'x', wait))).code,
    ).toBe('CLOUD_ERROR');
  });

  it('stops waiting when the signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    const { client } = stubClient([pending]);
    const error = await rejection(
      awaitOperation(client, pending, 'x', { ...wait, signal: controller.signal }),
    );
    expect(error.code).toBe('ABORTED');
  });

  it('stops polling when the signal fires while the operation is pending', async () => {
    const controller = new AbortController();
    const requests: ApiRequest[] = [];
    const client = {
      async json(request: ApiRequest) {
        requests.push(request);
        controller.abort();
        return pending;
      },
    } as unknown as ExoscaleClient;
    const error = await rejection(
      awaitOperation(client, pending, 'x', { intervalMs: 1, timeoutMs: 60_000, signal: controller.signal }),
    );
    expect(error.code).toBe('ABORTED');
    expect(requests).toHaveLength(1);
  });
});
