import { ConnectorError, createInstance } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import definition from './index.js';
import { settingsFrom } from './parameters.js';

describe('CloudStack instance parameters', () => {
  it('requires the endpoint and reports it with CONFIG_INVALID', async () => {
    const error = await createInstance(definition, { parameters: {} }).catch((e: unknown) => e);
    expect(ConnectorError.hasCode(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as ConnectorError).problems.map((p) => p.key)).toEqual(['endpoint']);
  });

  it('applies the defaults', async () => {
    const instance = await createInstance(definition, {
      parameters: { endpoint: 'https://cloud.example.com/client/api' },
    });
    try {
      expect(settingsFrom(instance.parameters)).toEqual({
        endpoint: 'https://cloud.example.com/client/api',
        zone: undefined,
        template: undefined,
        serviceOffering: undefined,
        expungeOnTerminate: true,
        pageSize: 500,
        pageWorkers: 5,
        pollIntervalMs: 2000,
        jobTimeoutMs: 1_800_000,
        signatureExpiryMs: 600_000,
      });
    } finally {
      await instance.close();
    }
  });

  it('refuses an endpoint with a query string, naming the parameter', async () => {
    const error = await createInstance(definition, {
      parameters: { endpoint: 'https://cloud.example.com/client/api?command=listZones' },
    }).catch((e: unknown) => e);
    expect(ConnectorError.hasCode(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toContain('"endpoint"');
  });

  it('refuses out-of-range values, all at once', async () => {
    const error = await createInstance(definition, {
      parameters: { endpoint: 'https://x.example/client/api', 'page.size': 0, 'async.poll.interval.ms': 1 },
    }).catch((e: unknown) => e);
    expect((error as ConnectorError).problems.map((p) => p.key).sort()).toEqual([
      'async.poll.interval.ms',
      'page.size',
    ]);
  });
});
