import { createHttpTransport } from '@slipstream/connector-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExoscaleClient } from './client.js';
import { ensureSshKey, md5Fingerprint, sshKeyName } from './keypairs.js';
import { failure, PUBLIC_KEY, startTarget, type Target } from './testing/fixtures.js';

const OTHER_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq8c1Wq0V0m3xQ2m7VtJk1hS3yqVv7B2R9x5H5f8kLm other@example';

describe('SSH key names and fingerprints', () => {
  it('derives a stable, valid Exoscale key name from the key blob, not its comment', () => {
    const name = sshKeyName(PUBLIC_KEY);
    expect(name).toMatch(/^slipstream-[0-9a-f]{24}$/);
    expect(sshKeyName(PUBLIC_KEY.replace('test@example', 'renamed'))).toBe(name);
    expect(sshKeyName(OTHER_KEY)).not.toBe(name);
  });

  it('computes the colon-separated MD5 fingerprint', () => {
    expect(md5Fingerprint(PUBLIC_KEY)).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
  });
});

describe('ensureSshKey', () => {
  const http = createHttpTransport();
  let target: Target;
  let client: ExoscaleClient;
  // Far above what a loaded machine needs: the deadline only ends a test whose condition never comes.
  const wait = { intervalMs: 5, timeoutMs: 20_000 };

  beforeAll(async () => {
    target = await startTarget();
    client = new ExoscaleClient({
      http,
      endpoint: `${target.sim.url}/v2`,
      ...target.sim.credentials,
      signatureValiditySeconds: 600,
    });
  });
  afterAll(async () => {
    await http.close();
    await target.close();
  });

  it('imports a key once and reuses the import afterwards', async () => {
    const name = await ensureSshKey(client, PUBLIC_KEY, wait);
    expect(await ensureSshKey(client, PUBLIC_KEY, wait)).toBe(name);
    expect(target.sim.control.count('register-ssh-key')).toBe(1);
    const [pair] = target.sim.control.cloud.keyPairs(target.account);
    expect(pair).toMatchObject({ name, fingerprint: md5Fingerprint(PUBLIC_KEY) });
  });

  it('takes a concurrent import (409) as its own', async () => {
    const name = sshKeyName(OTHER_KEY);
    target.sim.control.cloud.registerKeyPair(target.account, name, OTHER_KEY);
    // The key appears between our lookup and our import: the lookup answers 404 once.
    target.sim.control.failWithStatus(404, { match: 'get-ssh-key', message: 'SSH key not found' });
    target.sim.control.clearRequests();
    await expect(ensureSshKey(client, OTHER_KEY, wait)).resolves.toBe(name);
    expect(target.sim.control.requests.map((r) => `${r.operation} ${r.status}`)).toEqual([
      'get-ssh-key 404',
      'register-ssh-key 409',
    ]);
  });

  it('refuses a key registered under the derived name with another fingerprint', async () => {
    const third =
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBq2d7Xw1V2n4yR3n8WuKl2iT4zrWw8C3S0y6I6g9lMn third@example';
    target.sim.control.cloud.registerKeyPair(target.account, sshKeyName(third), OTHER_KEY);
    const error = await failure(() => ensureSshKey(client, third, wait));
    expect((error as Error).message).toMatch(/another|not that of the given key/);
  });
});
