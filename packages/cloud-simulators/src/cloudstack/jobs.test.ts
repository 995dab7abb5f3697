import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../model/clock.js';
import type { RunningSimulator } from '../server/simulator.js';
import { CLOUDSTACK_OFFERINGS, CLOUDSTACK_TEMPLATES, CLOUDSTACK_ZONES } from './catalog.js';
import { formatTzDate } from './dates.js';
import { startCloudStack } from './index.js';
import { callCloudStack } from './test-client.js';

const BOOT = 1000;
const HALT = 500;
const DAY = 86_400_000;
const CMD = 'org.apache.cloudstack.api.command.user.vm';

describe('CloudStack asynchronous jobs', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  let sim: RunningSimulator;
  const deploy = async (name: string): Promise<{ id: string; jobid: string }> => {
    const answer = await callCloudStack(
      sim,
      'deployVirtualMachine',
      {
        zoneid: CLOUDSTACK_ZONES[0]?.id ?? '',
        templateid: CLOUDSTACK_TEMPLATES[0]?.id ?? '',
        serviceofferingid: CLOUDSTACK_OFFERINGS[0]?.id ?? '',
        name,
      },
      { method: 'POST' },
    );
    expect(answer.status).toBe(200);
    return answer.body.deployvirtualmachineresponse;
  };
  const job = async (jobid: string) =>
    (await callCloudStack(sim, 'queryAsyncJobResult', { jobid })).body.queryasyncjobresultresponse;
  const state = async (id: string): Promise<string | undefined> =>
    (await callCloudStack(sim, 'listVirtualMachines', { id })).body.listvirtualmachinesresponse
      .virtualmachine?.[0]?.state;

  beforeAll(async () => {
    sim = await startCloudStack({
      clock,
      bootDelayMs: BOOT,
      haltDelayMs: HALT,
      accounts: [{ key: 'k', secret: 's', name: 'alice' }],
    });
  });
  afterAll(() => sim.close());

  it('runs a deploy job from pending to success, its result the running VM', async () => {
    const { id, jobid } = await deploy('lifecycle');
    const pending = await job(jobid);
    expect(pending).toMatchObject({
      jobid,
      jobstatus: 0,
      jobprocstatus: 0,
      jobresultcode: 0,
      cmd: `${CMD}.DeployVMCmd`,
      jobinstancetype: 'VirtualMachine',
      jobinstanceid: id,
      account: 'alice',
      created: formatTzDate(clock.now()),
    });
    expect(pending).not.toHaveProperty('jobresult');
    expect(await state(id)).toBe('Starting');
    clock.advance(BOOT);
    const done = await job(jobid);
    expect(done).toMatchObject({
      jobstatus: 1,
      jobresultcode: 0,
      jobresulttype: 'object',
      completed: formatTzDate(clock.now()),
    });
    expect(done.jobresult.virtualmachine).toMatchObject({ id, name: 'lifecycle', state: 'Running' });
    expect(await state(id)).toBe('Running');
  });

  it('stops, starts and destroys through jobs; stopping a stopped VM succeeds at once', async () => {
    const { id } = await deploy('cycle');
    clock.advance(BOOT);
    const stop = (await callCloudStack(sim, 'stopVirtualMachine', { id })).body.stopvirtualmachineresponse
      .jobid;
    expect(await state(id)).toBe('Stopping');
    clock.advance(HALT);
    expect(await job(stop)).toMatchObject({
      jobstatus: 1,
      cmd: `${CMD}.StopVMCmd`,
      jobresult: { virtualmachine: { state: 'Stopped' } },
    });
    const again = (await callCloudStack(sim, 'stopVirtualMachine', { id })).body.stopvirtualmachineresponse
      .jobid;
    expect((await job(again)).jobstatus).toBe(1);
    const start = (await callCloudStack(sim, 'startVirtualMachine', { id })).body.startvirtualmachineresponse
      .jobid;
    expect(await state(id)).toBe('Starting');
    clock.advance(BOOT);
    expect(await job(start)).toMatchObject({
      jobstatus: 1,
      jobresult: { virtualmachine: { state: 'Running' } },
    });
    const destroy = (await callCloudStack(sim, 'destroyVirtualMachine', { id })).body
      .destroyvirtualmachineresponse.jobid;
    expect(await job(destroy)).toMatchObject({
      jobstatus: 1,
      cmd: `${CMD}.DestroyVMCmd`,
      jobresult: { virtualmachine: { state: 'Destroyed' } },
    });
    expect(await state(id)).toBe('Destroyed');
    const expunge = (await callCloudStack(sim, 'destroyVirtualMachine', { id, expunge: 'true' })).body
      .destroyvirtualmachineresponse.jobid;
    expect(await state(id)).toBe('Expunging');
    clock.advance(HALT);
    expect(await job(expunge)).toMatchObject({
      jobstatus: 1,
      jobresult: { virtualmachine: { id, state: 'Expunging' } },
    });
    expect(await state(id)).toBeUndefined();
  });

  it('fails an injected job with errorcode 530 and leaves the VM in Error', async () => {
    sim.control.failJobs(1, 'Unable to create a deployment for VM[User|i-2-9-VM]');
    const { id, jobid } = await deploy('doomed');
    clock.advance(BOOT);
    const failed = await job(jobid);
    expect(failed).toMatchObject({
      jobstatus: 2,
      jobresultcode: 530,
      jobresulttype: 'object',
      jobresult: { errorcode: 530, errortext: 'Unable to create a deployment for VM[User|i-2-9-VM]' },
    });
    expect(await state(id)).toBe('Error');
  });

  it('fails a start of a VM that is starting, inside the job', async () => {
    const { id } = await deploy('early');
    const jobid = (await callCloudStack(sim, 'startVirtualMachine', { id })).body.startvirtualmachineresponse
      .jobid;
    expect(await job(jobid)).toMatchObject({
      jobstatus: 2,
      jobresultcode: 530,
      jobresult: { errortext: 'Unable to start VM[User|early]: it is Starting' },
    });
    clock.advance(BOOT);
  });

  it('lists the account jobs, oldest first, with results, from a start day on', async () => {
    // The earlier tests ran on 1 January; these jobs start on the 2nd.
    clock.advance(DAY);
    const first = await deploy('listed-1');
    const second = await deploy('listed-2');
    const all = (await callCloudStack(sim, 'listAsyncJobs')).body.listasyncjobsresponse;
    expect(all.count).toBeGreaterThan(2);
    const recent = (await callCloudStack(sim, 'listAsyncJobs', { startdate: '2026-01-02' })).body
      .listasyncjobsresponse;
    expect(recent.asyncjobs.map((j: { jobid: string }) => j.jobid)).toEqual([first.jobid, second.jobid]);
    expect(recent.asyncjobs.every((j: { jobstatus: number }) => j.jobstatus === 0)).toBe(true);
    clock.advance(BOOT);
    // CloudStack reads only the date of a timestamp: the whole of 2 January, not from 23:00 on.
    const later = (await callCloudStack(sim, 'listAsyncJobs', { startdate: '2026-01-02T23:00:00+0000' })).body
      .listasyncjobsresponse;
    expect(
      later.asyncjobs.map(
        (j: { jobresult: { virtualmachine: { state: string } } }) => j.jobresult.virtualmachine.state,
      ),
    ).toEqual(['Running', 'Running']);
    const bad = await callCloudStack(sim, 'listAsyncJobs', { startdate: 'yesterday' });
    expect(bad.status).toBe(431);
  });

  it('answers 431 for a job id it does not know', async () => {
    const answer = await callCloudStack(sim, 'queryAsyncJobResult', {
      jobid: '00000000-0000-4000-8000-000000000001',
    });
    expect(answer.status).toBe(431);
    expect(answer.body.queryasyncjobresultresponse.errortext).toContain('Invalid parameter jobid value=');
  });
});

describe('CloudStack operator settings', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startCloudStack({
      bootDelayMs: 0,
      haltDelayMs: 0,
      allowUserExpungeRecoverVm: false,
      allowUserViewDestroyedVm: false,
    });
  });
  afterAll(() => sim.close());

  it('refuses a user expunge inside the job and hides destroyed VMs', async () => {
    const account = sim.control.cloud.accountByKey(sim.credentials.key);
    const [vm] = sim.control.cloud.seedVms(account?.id ?? '', 1, {
      zone: CLOUDSTACK_ZONES[0]?.id ?? '',
      image: CLOUDSTACK_TEMPLATES[0]?.id ?? '',
      size: CLOUDSTACK_OFFERINGS[0]?.id ?? '',
    });
    const id = vm?.id ?? '';
    const expunge = (await callCloudStack(sim, 'destroyVirtualMachine', { id, expunge: 'true' })).body
      .destroyvirtualmachineresponse.jobid;
    const refused = (await callCloudStack(sim, 'queryAsyncJobResult', { jobid: expunge })).body
      .queryasyncjobresultresponse;
    expect(refused).toMatchObject({ jobstatus: 2, jobresultcode: 530 });
    expect(refused.jobresult.errortext).toContain('allow.user.expunge.recover.vm');
    expect(
      (await callCloudStack(sim, 'listCapabilities')).body.listcapabilitiesresponse.capability,
    ).toMatchObject({
      allowuserexpungerecovervm: false,
      allowuserviewdestroyedvm: false,
    });
    await callCloudStack(sim, 'destroyVirtualMachine', { id });
    expect((await callCloudStack(sim, 'listVirtualMachines', { id })).body).toEqual({
      listvirtualmachinesresponse: {},
    });
  });
});
