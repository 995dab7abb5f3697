import { createInstance, instanceParameterSpecs, validateFields } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import definition from './index.js';
import {
  keystoneSettings,
  OPENSTACK_CREDENTIALS,
  OPENSTACK_PARAMETERS,
  openStackSettings,
} from './parameters.js';

describe('parameters', () => {
  it('are the SlipStream OpenStack connector ones, with its defaults', () => {
    expect(OPENSTACK_PARAMETERS.map((p) => p.key)).toEqual([
      'endpoint',
      'service.region',
      'service.type',
      'service.name',
      'network.public',
      'network.private',
      'floating.ips',
    ]);
    const { values, problems } = validateFields(instanceParameterSpecs(definition), {
      endpoint: 'https://k:5000/v3',
    });
    expect(problems).toEqual([]);
    expect(keystoneSettings(values)).toEqual({
      authUrl: 'https://k:5000/v3',
      region: 'RegionOne',
      computeType: 'compute',
      computeName: undefined,
    });
    expect(openStackSettings(values)).toEqual({
      networks: { public: undefined, private: undefined },
      floatingIps: false,
      microversion: '2.47',
    });
  });

  it('reads the optional ones trimmed', () => {
    const { values } = validateFields(OPENSTACK_PARAMETERS, {
      endpoint: 'https://k/v3',
      'service.name': ' nova ',
      'network.public': 'public',
      'network.private': 'private',
      'floating.ips': 'true',
    });
    expect(keystoneSettings(values).computeName).toBe('nova');
    expect(openStackSettings(values)).toMatchObject({
      networks: { public: 'public', private: 'private' },
      floatingIps: true,
    });
  });

  it('requires the endpoint, and credentials username, password, project; domain defaults to Default', async () => {
    await expect(createInstance(definition, { parameters: {} })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
    const { values, problems } = validateFields(OPENSTACK_CREDENTIALS, {});
    expect(problems.map((p) => p.key)).toEqual(['username', 'password', 'project']);
    expect(values.domain).toBe('Default');
    expect(OPENSTACK_CREDENTIALS.find((c) => c.key === 'password')?.type).toBe('secret');
  });
});
