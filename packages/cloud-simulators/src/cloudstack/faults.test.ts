import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../server/simulator.js';
import { CLOUDSTACK_OFFERINGS, CLOUDSTACK_TEMPLATES, CLOUDSTACK_ZONES } from './catalog.js';
import { startCloudStack } from './index.js';
import { callCloudStack } from './test-client.js';

const deployParams = (name: string): Record<string, string> => ({
  zoneid: CLOUDSTACK_ZONES[0]?.id ?? '',
  templateid: CLOUDSTACK_TEMPLATES[0]?.id ?? '',
  serviceofferingid: CLOUDSTACK_OFFERINGS[0]?.id ?? '',
  name,
});

describe('CloudStack fault injection, seen from a raw client', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startCloudStack({ bootDelayMs: 50, haltDelayMs: 50 });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.control.clearFaults();
    sim.control.clearRequests();
  });
  const vmNames = (): string[] => {
    const account = sim.control.cloud.accountByKey(sim.credentials.key);
    return sim.control.cloud.vms(account?.id ?? '').map((vm) => vm.name);
  };

  it('holds an answer back with latency, then answers normally', async () => {
    sim.control.addLatency(30, { match: 'listZones' });
    const answer = await callCloudStack(sim, 'listZones');
    expect(answer.status).toBe(200);
    expect(sim.control.requests.at(-1)).toMatchObject({
      operation: 'listZones',
      status: 200,
      faults: ['latency'],
    });
  });

  it("answers an injected status with CloudStack's error envelope", async () => {
    sim.control.failWithStatus(503, {
      match: 'listVirtualMachines',
      message: 'Management server is shutting down',
    });
    const answer = await callCloudStack(sim, 'listVirtualMachines');
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({
      errorresponse: {
        uuidList: [],
        errorcode: 503,
        cserrorcode: 9999,
        errortext: 'Management server is shutting down',
      },
    });
    // Only the matching command, only once.
    expect((await callCloudStack(sim, 'listVirtualMachines')).status).toBe(200);
  });

  it('rate-limits with 429 and Retry-After', async () => {
    sim.control.rateLimit(7);
    const answer = await callCloudStack(sim, 'listZones');
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('7');
    expect(answer.body.errorresponse).toMatchObject({ errorcode: 429 });
  });

  it('resets the connection before handling: nothing happens', async () => {
    sim.control.resetConnection({ match: 'deployVirtualMachine' });
    await expect(
      callCloudStack(sim, 'deployVirtualMachine', deployParams('never'), { method: 'POST' }),
    ).rejects.toThrow();
    expect(vmNames()).not.toContain('never');
    expect(sim.control.count('deployVirtualMachine')).toBe(1);
  });

  it('resets the connection after handling: the VM exists, the answer is lost', async () => {
    sim.control.resetConnection({ match: 'deployVirtualMachine', afterHandling: true });
    await expect(
      callCloudStack(sim, 'deployVirtualMachine', deployParams('orphan'), { method: 'POST' }),
    ).rejects.toThrow();
    expect(vmNames()).toContain('orphan');
  });

  it('answers 200 with a truncated body that no longer parses', async () => {
    sim.control.malformBody({ match: 'listZones' });
    // The helper parses JSON bodies: a truncated one makes it throw.
    await expect(callCloudStack(sim, 'listZones')).rejects.toBeInstanceOf(SyntaxError);
    expect(sim.control.requests.at(-1)).toMatchObject({
      operation: 'listZones',
      status: 200,
      faults: ['malformed'],
    });
    expect((await callCloudStack(sim, 'listZones')).status).toBe(200);
  });

  it('fails the next jobs', async () => {
    sim.control.failJobs(1, 'Simulated hypervisor failure');
    const { jobid } = (
      await callCloudStack(sim, 'deployVirtualMachine', deployParams('failing'), { method: 'POST' })
    ).body.deployvirtualmachineresponse;
    await new Promise((resolve) => setTimeout(resolve, 80));
    const result = (await callCloudStack(sim, 'queryAsyncJobResult', { jobid })).body
      .queryasyncjobresultresponse;
    expect(result).toMatchObject({
      jobstatus: 2,
      jobresult: { errorcode: 530, errortext: 'Simulated hypervisor failure' },
    });
  });

  it('refuses expired and revoked keys with 401', async () => {
    sim.control.expireKey(sim.credentials.key);
    expect((await callCloudStack(sim, 'listZones')).status).toBe(401);
    sim.control.restoreKey(sim.credentials.key);
    sim.control.revokeKey(sim.credentials.key);
    expect((await callCloudStack(sim, 'listZones')).status).toBe(401);
    sim.control.restoreKey(sim.credentials.key);
    expect((await callCloudStack(sim, 'listZones')).status).toBe(200);
  });
});
