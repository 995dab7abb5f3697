import { ManualClock } from '@slipstream/cloud-simulators';
import { ConnectorError, silentLogger } from '@slipstream/connector-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudStackAnswer, CloudStackClient, Params } from './client.js';
import { launchRequest, type Rig, startRig } from './testing/fixtures.js';
import { JobPoller, jobSearchStart } from './waits.js';

const BOOT = 1000;

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error('condition never came true');
}

describe('CloudStack job polling against the simulator', () => {
  const clock = new ManualClock(Date.now());
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ simulator: { clock, bootDelayMs: BOOT, haltDelayMs: BOOT } });
  });
  afterAll(() => rig.close());
  const rounds = () => rig.logs.filter((entry) => entry.message === 'cloudstack job poll');

  it('polls N pending jobs with one listAsyncJobs per round, never one request per job', async () => {
    rig.sim.control.clearRequests();
    rig.logs.length = 0;
    const launching = rig.session.launch(launchRequest('many', { count: 4 }));
    // The cloud's clock stands still: the four deploy jobs stay pending while rounds go by.
    await until(() => rig.sim.control.count('listAsyncJobs') >= 3);
    clock.advance(BOOT);
    const vms = await launching;
    expect(vms.map((vm) => vm.state)).toEqual(['running', 'running', 'running', 'running']);
    expect(rounds().length).toBeGreaterThanOrEqual(3);
    expect(
      rounds().every((round) => round.fields.via === 'listAsyncJobs' && Number(round.fields.jobs) >= 4),
    ).toBe(true);
    expect(rig.sim.control.count('listAsyncJobs')).toBe(rounds().length);
    expect(rig.sim.control.count('queryAsyncJobResult')).toBe(0);
  });

  it('polls a single pending job with queryAsyncJobResult', async () => {
    const [vm] = await Promise.all([
      rig.session.launch(launchRequest('single')),
      until(() => rig.sim.control.count('queryAsyncJobResult') > 0).then(() => clock.advance(BOOT)),
    ]).then(([vms]) => vms);
    rig.sim.control.clearRequests();
    const stopping = rig.session.stop?.([vm?.id ?? '']);
    await until(() => rig.sim.control.count('queryAsyncJobResult') >= 2);
    clock.advance(BOOT);
    await stopping;
    expect(rig.sim.control.count('listAsyncJobs')).toBe(0);
    expect(rig.sim.control.cloud.vm(rig.accountId, vm?.id ?? '')?.phase).toBe('stopped');
  });
});

/** A client that answers job queries from a script: the jobs' states per round. */
function scriptedClient(states: (command: string, params: Params, round: number) => Record<string, unknown>) {
  const calls: string[] = [];
  let round = 0;
  const client = {
    pageSize: 500,
    async request(command: string, params: Params = {}): Promise<CloudStackAnswer> {
      calls.push(command);
      if (command === 'listAsyncJobs') round += 1;
      return { value: states(command, params, round), serverTime: undefined };
    },
  } as unknown as CloudStackClient;
  return { client, calls };
}

describe('JobPoller', () => {
  const options = { intervalMs: 1, timeoutMs: 2000, logger: silentLogger };

  it('asks nothing when there is no job to wait for', async () => {
    const { client, calls } = scriptedClient(() => ({}));
    expect(await new JobPoller(client, options).settle([])).toEqual({
      results: new Map(),
      failures: new Map(),
    });
    expect(calls).toEqual([]);
  });

  it('asks alone for a job listAsyncJobs does not show', async () => {
    const { client, calls } = scriptedClient((command, params) =>
      command === 'listAsyncJobs'
        ? {
            count: 1,
            asyncjobs: [{ jobid: 'a', jobstatus: 1, jobresultcode: 0, jobresult: { success: true } }],
          }
        : { jobid: params.jobid, jobstatus: 1, jobresultcode: 0, jobresult: { success: true } },
    );
    const results = await new JobPoller(client, options).wait([
      { id: 'a', command: 'createTags' },
      { id: 'b', command: 'createTags' },
    ]);
    expect([...results.keys()].sort()).toEqual(['a', 'b']);
    expect(calls).toEqual(['listAsyncJobs', 'queryAsyncJobResult']);
  });

  it('waits for every job, then reports the first failure and how many more failed', async () => {
    const { client } = scriptedClient(() => ({
      count: 3,
      asyncjobs: [
        { jobid: 'a', jobstatus: 2, jobresultcode: 530, jobresult: { errorcode: 530, errortext: 'first' } },
        {
          jobid: 'b',
          jobstatus: 2,
          jobresultcode: 535,
          jobresult: { errorcode: 535, errortext: "Maximum amount of resources of Type = 'user_vm'" },
        },
        { jobid: 'c', jobstatus: 1, jobresultcode: 0, jobresult: {} },
      ],
    }));
    const error = await new JobPoller(client, options)
      .wait([
        { id: 'a', command: 'deployVirtualMachine' },
        { id: 'b', command: 'deployVirtualMachine' },
        { id: 'c', command: 'createTags' },
      ])
      .catch((e: unknown) => e);
    expect(ConnectorError.hasCode(error, 'CLOUD_ERROR')).toBe(true);
    expect((error as Error).message).toBe(
      'CloudStack job a (deployVirtualMachine) failed with error 530: first (and 1 more job(s) failed)',
    );
  });

  it('reads an old-style failure: jobresultcode and a text result', async () => {
    const { client } = scriptedClient(() => ({
      jobid: 'a',
      jobstatus: 2,
      jobresultcode: 551,
      jobresult: 'not enough capacity',
    }));
    const error = await new JobPoller(client, options)
      .wait([{ id: 'a', command: 'deployVirtualMachine' }])
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'CloudStack job a (deployVirtualMachine) failed with error 551: not enough capacity',
    );
  });

  it('gives up with TIMEOUT naming the jobs still pending', async () => {
    const { client } = scriptedClient(() => ({ jobid: 'slow', jobstatus: 0 }));
    const error = await new JobPoller(client, { ...options, intervalMs: 5, timeoutMs: 30 })
      .wait([{ id: 'slow', command: 'stopVirtualMachine' }])
      .catch((e: unknown) => e);
    expect(ConnectorError.hasCode(error, 'TIMEOUT')).toBe(true);
    expect((error as Error).message).toContain('slow (stopVirtualMachine)');
  });

  it('stops waiting when aborted', async () => {
    const { client } = scriptedClient(() => ({ jobid: 'slow', jobstatus: 0 }));
    const controller = new AbortController();
    const waiting = new JobPoller(client, { ...options, intervalMs: 20 }).wait(
      [{ id: 'slow', command: 'x' }],
      controller.signal,
    );
    setTimeout(() => controller.abort(), 30);
    expect(ConnectorError.hasCode(await waiting.catch((e: unknown) => e), 'ABORTED')).toBe(true);
  });
});

describe('jobSearchStart', () => {
  it('is the UTC date of the day before: a day start before the jobs in any server time zone', () => {
    expect(jobSearchStart(Date.UTC(2026, 2, 11, 2, 0))).toBe('2026-03-10');
    expect(jobSearchStart(Date.UTC(2026, 0, 1, 23, 59))).toBe('2025-12-31');
  });
});
