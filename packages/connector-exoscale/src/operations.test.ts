import { ConnectorError } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import type { ApiRequest, ExoscaleApi } from './api.js';
import { awaitOperation } from './operations.js';
import type { ExoscaleOperation } from './types.js';

/** An API whose GET /operation/{id} answers the given states in turn. */
function stubApi(answers: unknown[]): { api: ExoscaleApi; requests: ApiRequest[] } {
  const requests: ApiRequest[] = [];
  const api = {
    async json(request: ApiRequest) {
      requests.push(request);
      return answers.shift();
    },
  } as unknown as ExoscaleApi;
  return { api, requests };
}

const pending: ExoscaleOperation = { id: 'op-1', state: 'pending' };
const wait = { intervalMs: 1, timeoutMs: 5_000 };

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
    const { api, requests } = stubApi([pending, done]);
    await expect(awaitOperation(api, pending, 'create-instance', wait)).resolves.toEqual(done);
    expect(requests.map((r) => `${r.method} ${r.path} ${r.operation}`)).toEqual([
      'GET /operation/op-1 get-operation',
      'GET /operation/op-1 get-operation',
    ]);
  });

  it('returns an operation that is already complete without polling', async () => {
    const { api, requests } = stubApi([]);
    await awaitOperation(api, { id: 'op-1', state: 'success' }, 'register-ssh-key', wait);
    expect(requests).toEqual([]);
  });

  it('rejects with the failure mapped to a code', async () => {
    const { api } = stubApi([{ id: 'op-1', state: 'failure', reason: 'busy', message: 'Try again' }]);
    const error = await rejection(awaitOperation(api, pending, 'stop-instance', wait));
    expect(error.code).toBe('CLOUD_UNAVAILABLE');
    expect(error.message).toContain('Try again');
  });

  it('rejects TIMEOUT when the operation stays pending past the timeout', async () => {
    const { api } = stubApi(Array.from({ length: 100 }, () => pending));
    const error = await rejection(
      awaitOperation(api, pending, 'start-instance', { intervalMs: 5, timeoutMs: 20 }),
    );
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain('operation.timeout.ms');
  });

  it('rejects CLOUD_ERROR for an unknown state or an answer that is not an operation', async () => {
    expect(
      (await rejection(awaitOperation(stubApi([]).api, { id: 'op', state: 'weird' }, 'x', wait))).code,
    ).toBe('CLOUD_ERROR');
    expect((await rejection(awaitOperation(stubApi([{ nope: true }]).api, pending, 'x', wait))).code).toBe(
      'CLOUD_ERROR',
    );
  });

  it('stops waiting when the signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    const { api } = stubApi([pending]);
    const error = await rejection(awaitOperation(api, pending, 'x', { ...wait, signal: controller.signal }));
    expect(error.code).toBe('ABORTED');
  });
});
