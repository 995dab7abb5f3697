import { ConnectorError, type ConnectorRegistry, type ErrorCode } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import { CloudCalls } from '../vms/deadlines.js';
import { checkWithCloud } from './check.js';

/** A registry whose one instance answers checkCredentials with `outcome`, closing each session. */
function registryAnswering(outcome: () => Promise<void>): {
  registry: ConnectorRegistry;
  closed: () => number;
} {
  let closed = 0;
  const instance = {
    session: async () => ({
      checkCredentials: outcome,
      close: async () => {
        closed += 1;
      },
    }),
  };
  return { registry: { instance: () => instance } as unknown as ConnectorRegistry, closed: () => closed };
}

const calls = new CloudCalls({ listTimeoutMs: 5_000, actionTimeoutMs: 5_000 });

describe('checkWithCloud', () => {
  it.each<ErrorCode>(['AUTH_FAILED', 'CREDENTIALS_INVALID', 'PERMISSION_DENIED'])(
    'refuses credentials the cloud answers %s, as CREDENTIALS_INVALID naming the instance',
    async (code) => {
      const { registry, closed } = registryAnswering(async () => {
        throw new ConnectorError(code, 'The cloud said no.');
      });
      const error = await checkWithCloud({ registry, calls }, 'lab', { key: 'k' }).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'CREDENTIALS_INVALID',
        message: expect.stringContaining(
          `"lab" were not saved: the cloud refused them (${code}): The cloud said no.`,
        ),
      });
      expect(closed()).toBe(1);
    },
  );

  it.each<ErrorCode>(['CLOUD_UNAVAILABLE', 'CLOUD_ERROR', 'RATE_LIMITED', 'TIMEOUT'])(
    'lets credentials through unchecked, with a warning, when the cloud answers %s',
    async (code) => {
      const { registry } = registryAnswering(async () => {
        throw new ConnectorError(code, 'The cloud is unwell.');
      });
      const check = await checkWithCloud({ registry, calls }, 'lab', {});
      expect(check).toMatchObject({
        checked: false,
        warning: expect.stringContaining(`(${code}: The cloud is unwell)`),
      });
    },
  );

  it('words an unexpected failure without its text, which may carry anything', async () => {
    const { registry } = registryAnswering(async () => {
      throw new Error('socket to 10.0.0.5 with token abc123');
    });
    const check = await checkWithCloud({ registry, calls }, 'lab', {});
    expect(check.checked).toBe(false);
    expect(JSON.stringify(check.checked ? {} : check.warning)).not.toContain('abc123');
  });

  it('answers checked when the cloud accepts them', async () => {
    const { registry, closed } = registryAnswering(async () => undefined);
    expect(await checkWithCloud({ registry, calls }, 'lab', {})).toEqual({ checked: true });
    expect(closed()).toBe(1);
  });
});
