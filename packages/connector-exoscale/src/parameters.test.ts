import { ConnectorError, createInstance } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import definition from './index.js';
import { EXOSCALE_DEFAULTS, settingsFrom } from './parameters.js';

async function configError(parameters: Record<string, unknown>): Promise<ConnectorError> {
  try {
    const instance = await createInstance(definition, { parameters });
    await instance.close();
  } catch (error) {
    if (ConnectorError.is(error)) return error;
    throw error;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('instance parameters', () => {
  it('work with no parameters at all: zone ch-gva-2 and its public endpoint', async () => {
    const instance = await createInstance(definition);
    expect(settingsFrom(instance.parameters)).toEqual({
      zone: 'ch-gva-2',
      endpoint: 'https://api-ch-gva-2.exoscale.com/v2',
      diskSizeGb: 10,
      template: undefined,
      instanceType: undefined,
      securityGroups: [],
      pollIntervalMs: EXOSCALE_DEFAULTS.pollIntervalMs,
      operationTimeoutMs: EXOSCALE_DEFAULTS.operationTimeoutMs,
      signatureValiditySeconds: 600,
    });
    await instance.close();
  });

  it('derive the endpoint from the zone, keep an override, and read the lists', async () => {
    const instance = await createInstance(definition, {
      parameters: {
        zone: 'at-vie-2',
        'security.groups': ' web , ssh,, ',
        template: ' Linux Debian 12 (Bookworm) 64-bit ',
        'disk.size': '50',
      },
    });
    expect(settingsFrom(instance.parameters)).toMatchObject({
      zone: 'at-vie-2',
      endpoint: 'https://api-at-vie-2.exoscale.com/v2',
      securityGroups: ['web', 'ssh'],
      template: 'Linux Debian 12 (Bookworm) 64-bit',
      diskSizeGb: 50,
    });
    const override = await createInstance(definition, {
      parameters: { endpoint: 'http://127.0.0.1:9/de-fra-1/v2/' },
    });
    expect(settingsFrom(override.parameters).endpoint).toBe('http://127.0.0.1:9/de-fra-1/v2');
    await instance.close();
    await override.close();
  });

  it('report every bad value at once, naming the parameter', async () => {
    const error = await configError({ zone: 'us-east-1', 'disk.size': 5, 'signature.validity.s': 7200 });
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.problems.map((p) => p.key).sort()).toEqual(['disk.size', 'signature.validity.s', 'zone']);
    expect(error.message).toContain('ch-gva-2, ch-dk-2, de-fra-1');
  });

  it('refuse an endpoint with a query string', async () => {
    const error = await configError({ endpoint: 'https://api-ch-gva-2.exoscale.com/v2?x=1' });
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(/without query/);
  });
});

describe('definition', () => {
  it('is the exoscale connector of contract 1 with every capability', () => {
    expect(definition).toMatchObject({
      name: 'exoscale',
      cloud: 'Exoscale',
      contract: 1,
      capabilities: { stopStart: true, zones: true, sshKeys: true, userData: true, tags: true },
    });
    expect(definition.credentials.map((c) => [c.key, c.type, c.required])).toEqual([
      ['key', 'string', true],
      ['secret', 'secret', true],
    ]);
  });
});
