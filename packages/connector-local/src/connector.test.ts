import { checkDefinition, createInstance, instanceParameterSpecs } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import local, { createLocalConnector, LOCAL_STATES } from './index.js';

describe('the local connector definition', () => {
  it('is a valid contract-1 definition', () => {
    expect(checkDefinition(local)).toEqual([]);
    expect(local).toMatchObject({
      name: 'local',
      cloud: 'Local (in-process)',
      contract: 1,
      states: LOCAL_STATES,
    });
  });

  it('offers every optional capability', () => {
    expect(Object.values(local.capabilities)).toEqual([true, true, true, true, true]);
  });

  it('declares its parameters and leaves the common ones to core', () => {
    expect(local.parameters.map((spec) => spec.key)).toEqual([
      'accounts',
      'zone',
      'boot.delay.ms',
      'halt.delay.ms',
      'account.vm.limit',
    ]);
    expect(instanceParameterSpecs(local).map((spec) => spec.key)).toContain('quota.vm');
  });

  it('marks the secret credential and the accounts parameter as secrets', () => {
    expect(local.credentials.map((spec) => [spec.key, spec.type, spec.required])).toEqual([
      ['key', 'string', true],
      ['secret', 'secret', true],
    ]);
    expect(local.parameters.find((spec) => spec.key === 'accounts')?.type).toBe('secret');
  });

  it('creates instances that are separate clouds', async () => {
    const first = await createInstance(createLocalConnector(), { instance: 'one' });
    const second = await createInstance(createLocalConnector(), { instance: 'two' });
    const credentials = { key: 'demo', secret: 'demo-secret' };
    const request = { name: 'vm', image: 'debian-12', size: 'small', idempotencyKey: 'same-key' };
    await (await first.session(credentials)).launch(request);
    expect(await (await second.session(credentials)).describe()).toEqual([]);
    await Promise.all([first.close(), second.close()]);
  });

  it('refuses parameters out of range in core, before create', async () => {
    await expect(
      createInstance(local, { parameters: { 'boot.delay.ms': -1, zone: 'local-z' } }),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      problems: [{ key: 'zone' }, { key: 'boot.delay.ms' }],
    });
  });

  it('refuses an aborted signal through core', async () => {
    const instance = await createInstance(local);
    const session = await instance.session({ key: 'demo', secret: 'demo-secret' });
    await expect(session.describe(undefined, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'ABORTED',
    });
  });
});
