import { ConnectorError, createInstance } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import definition from './index.js';
import { OPENNEBULA_DEFAULTS, settingsFrom } from './parameters.js';

const valid = {
  endpoint: 'http://one.example.org:2633/RPC2',
  'instance.types': OPENNEBULA_DEFAULTS.instanceTypes,
  'cpu.ratio': '0.5',
  contextualization: 'one-context',
  'poll.interval.ms': 2000,
  'wait.timeout.ms': 300000,
};

function failure(call: () => unknown): ConnectorError {
  try {
    call();
  } catch (error) {
    if (ConnectorError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('OpenNebula parameters', () => {
  it('offers SlipStream’s four sizes by default', () => {
    expect(settingsFrom(valid).instanceTypes).toEqual([
      { name: 'micro', cpus: 1, memoryMb: 512 },
      { name: 'small', cpus: 1, memoryMb: 2048 },
      { name: 'medium', cpus: 2, memoryMb: 4096 },
      { name: 'large', cpus: 4, memoryMb: 8192 },
    ]);
  });

  it('reads the settings, networks by id or name', () => {
    const settings = settingsFrom({ ...valid, 'network.public': ' 0 ', 'network.private': 'private lan' });
    expect(settings).toMatchObject({
      endpoint: valid.endpoint,
      networks: { public: '0', private: 'private lan' },
      cpuRatio: 0.5,
      contextualization: 'one-context',
    });
  });

  it('refuses a malformed instance.types through core, naming the parameter', () => {
    const error = failure(() => settingsFrom({ ...valid, 'instance.types': 'small=1' }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('Parameter "instance.types" has "small=1"');
  });

  it.each(['0', '-1', 'half', '100'])('refuses cpu.ratio "%s"', (value) => {
    const error = failure(() => settingsFrom({ ...valid, 'cpu.ratio': value }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('Parameter "cpu.ratio"');
  });

  it('is validated by core: endpoint required, contextualization one of two', async () => {
    await expect(createInstance(definition, { instance: 'one', parameters: {} })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
    await expect(
      createInstance(definition, {
        instance: 'one',
        parameters: { endpoint: valid.endpoint, contextualization: 'cloudbase' },
      }),
    ).rejects.toThrow(/contextualization/);
  });
});
