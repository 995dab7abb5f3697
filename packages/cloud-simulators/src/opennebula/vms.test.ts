import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../model/clock.js';
import { OPENNEBULA_ERROR_CODES } from './errors.js';
import { type RunningOpenNebula, startOpenNebula } from './index.js';
import { OneTestClient, type Xml } from './test-client.js';

/** The VM pool, vm.info, vm.action and the life cycle, through HTTP on a manual clock. */

const ALICE = { key: 'alice', secret: 'alice-password', vmLimit: 2000 };
const BOB = { key: 'bob', secret: 'bob-password', vmLimit: 5 };
const BOOT = 9000;
const HALT = 6000;
const { AUTHORIZATION, NO_EXISTS, ACTION, XML_RPC_API, INTERNAL } = OPENNEBULA_ERROR_CODES;

/** [STATE, LCM_STATE] of a VM document. */
const stateOf = (vm: Xml): [number, number] => [Number(vm.STATE), Number(vm.LCM_STATE)];

// Many calls per test, some over a thousand VMs: generous on a loaded machine.
describe('OpenNebula VMs', { timeout: 60_000 }, () => {
  let sim: RunningOpenNebula;
  let clock: ManualClock;
  let alice: OneTestClient;
  let bob: OneTestClient;

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 2, 1, 12, 0, 0));
    sim = await startOpenNebula({ clock, bootDelayMs: BOOT, haltDelayMs: HALT, accounts: [ALICE, BOB] });
    alice = new OneTestClient(sim.rpcUrl, `${ALICE.key}:${ALICE.secret}`);
    bob = new OneTestClient(sim.rpcUrl, `${BOB.key}:${BOB.secret}`);
  });
  afterEach(() => sim.close());

  const launch = (client = alice, name = '', extra = '') =>
    client.ok<number>('one.template.instantiate', 0, name, false, extra, false);
  const state = async (id: number, client = alice) => stateOf((await client.document('one.vm.info', id)).VM);
  const action = (name: string, id: number, client = alice) => client.ok('one.vm.action', name, id);
  const seed = (count: number, key = ALICE.key) => {
    const { cloud } = sim.control;
    const account = cloud.accountByKey(key)?.id as string;
    return cloud.seedVms(account, count, {
      zone: '0',
      image: 'debian-12',
      size: 'template-default',
      namePrefix: 'bench',
    });
  };
  const ids = (vms: Xml[]): number[] => vms.map((vm) => Number(vm.ID));

  describe('one.vmpool.info', () => {
    it("lists VMs seeded into the model, giving them ids in the model's order, newest first", async () => {
      const seeded = seed(1000);
      const vms = await alice.vms('one.vmpool.info', -2, -1, -1, -1);
      expect(vms).toHaveLength(1000);
      expect(ids(vms)).toEqual(Array.from({ length: 1000 }, (_, index) => 999 - index));
      const first = vms[999];
      expect(first).toMatchObject({ ID: '0', NAME: 'bench-1', UNAME: 'alice', STATE: '3', LCM_STATE: '3' });
      expect(first.TEMPLATE.NIC[0]).toMatchObject({
        IP: seeded[0]?.publicIp,
        NETWORK: 'public',
        NETWORK_ID: '0',
      });
      expect(first.TEMPLATE.DISK[0]).toMatchObject({ IMAGE: 'Debian 12', IMAGE_ID: '1' });
      // A VM launched after the seeded ones comes after them.
      expect(await launch()).toBe(1000);
    });

    it('pages by offset from the newest, and by id range', async () => {
      seed(250);
      const seen: number[] = [];
      let pages = 0;
      for (let offset = 0; ; offset += 100) {
        const page = ids(await alice.vms('one.vmpool.info', -2, offset, -100, -2));
        seen.push(...page);
        pages += 1;
        if (page.length < 100) break;
      }
      expect(pages).toBe(3);
      expect(seen).toEqual(Array.from({ length: 250 }, (_, index) => 249 - index));
      expect(ids(await alice.vms('one.vmpool.info', -2, 10, 19, -1))).toEqual([
        19, 18, 17, 16, 15, 14, 13, 12, 11, 10,
      ]);
      expect(ids(await alice.vms('one.vmpool.info', -2, 245, -1, -1))).toEqual([249, 248, 247, 246, 245]);
      // A start of -1 is the whole pool, whatever the end.
      expect(await alice.vms('one.vmpool.info', -2, -1, 5, -1)).toHaveLength(250);
      expect(await alice.ok('one.vmpool.info', -2, 300, -100, -1)).toBe('<VM_POOL></VM_POOL>');
    });

    it('filters by state: -1 any but DONE, -2 any, or one STATE', async () => {
      seed(2);
      const done = await launch();
      await action('terminate', done);
      expect(ids(await alice.vms('one.vmpool.info', -2, -1, -1, -1))).toEqual([1, 0]);
      expect(ids(await alice.vms('one.vmpool.info', -2, -1, -1, -2))).toEqual([2, 1, 0]);
      expect(ids(await alice.vms('one.vmpool.info', -2, -1, -1, 6))).toEqual([2]);
      expect(ids(await alice.vms('one.vmpool.info', -2, -1, -1, 3))).toEqual([1, 0]);
      expect(await alice.ok('one.vmpool.info', -2, -1, -1, 7)).toBe('<VM_POOL></VM_POOL>');
      expect(await alice.fail('one.vmpool.info', -2, -1, -1, 12)).toMatchObject({
        message: '[one.vmpool.info] Incorrect filter_flag, state',
        code: XML_RPC_API,
      });
      expect((await alice.fail('one.vmpool.info', -9, -1, -1, -1)).message).toBe(
        '[one.vmpool.info] Incorrect filter_flag',
      );
    });

    it('shows a user its own VMs only, whatever the filter', async () => {
      seed(3);
      seed(2, BOB.key);
      expect(ids(await alice.vms('one.vmpool.info', -2, -1, -1, -1))).toEqual([2, 1, 0]);
      expect(ids(await bob.vms('one.vmpool.info', -2, -1, -1, -1))).toEqual([4, 3]);
      expect(ids(await bob.vms('one.vmpool.info', -1, -1, -1, -1))).toEqual([4, 3]);
      expect(ids(await bob.vms('one.vmpool.info', -4, -1, -1, -1))).toEqual([4, 3]);
      expect(ids(await bob.vms('one.vmpool.info', 3, -1, -1, -1))).toEqual([4, 3]);
      expect(ids(await bob.vms('one.vmpool.info', 2, -1, -1, -1))).toEqual([]);
    });

    it('lists short bodies; infoextended full ones', async () => {
      const id = await launch(
        alice,
        'web',
        'SLIPSTREAM_IDEMPOTENCY_KEY="k-1" SCHED_REQUIREMENTS="ID=\\"0\\""',
      );
      clock.advance(BOOT);
      const [short] = await alice.vms('one.vmpool.info', -2, -1, -1, -1);
      expect(Object.keys(short)).toEqual([
        'ID',
        'UID',
        'GID',
        'UNAME',
        'GNAME',
        'NAME',
        'LAST_POLL',
        'STATE',
        'LCM_STATE',
        'RESCHED',
        'STIME',
        'ETIME',
        'DEPLOY_ID',
        'TEMPLATE',
        'MONITORING',
        'USER_TEMPLATE',
        'HISTORY_RECORDS',
      ]);
      expect(Object.keys(short.TEMPLATE)).toEqual(['CPU', 'MEMORY', 'VCPU', 'DISK', 'NIC', 'GRAPHICS']);
      expect(Object.keys(short.TEMPLATE.NIC[0])).toEqual([
        'IP',
        'MAC',
        'NETWORK',
        'NETWORK_ID',
        'NIC_ID',
        'SECURITY_GROUPS',
      ]);
      // The short USER_TEMPLATE keeps the scheduler's attributes only, as oned's.
      expect(short.USER_TEMPLATE).toEqual({ SCHED_REQUIREMENTS: 'ID="0"' });
      expect(short).toMatchObject({
        DEPLOY_ID: `one-${id}`,
        HISTORY_RECORDS: { HISTORY: [{ OID: String(id), SEQ: '0' }] },
      });
      const [full] = await alice.vms('one.vmpool.infoextended', -2, -1, -1, -1);
      expect(full.USER_TEMPLATE.SLIPSTREAM_IDEMPOTENCY_KEY).toBe('k-1');
      expect(full.TEMPLATE).toMatchObject({ TEMPLATE_ID: '0', CONTEXT: { NETWORK: 'YES' } });
      expect(full.PERMISSIONS).toMatchObject({ OWNER_U: '1', OWNER_M: '1', OWNER_A: '0', GROUP_U: '0' });
      expect(
        await alice.fail('one.vmpool.info', -2, -1, -1, -1, 'USER_TEMPLATE/SLIPSTREAM_IDEMPOTENCY_KEY=k-1'),
      ).toMatchObject({
        message: '[one.vmpool.info] JSON query search is not supported by the SQL backend',
        code: INTERNAL,
      });
      expect(await alice.vms('one.vmpool.info', -2, -1, -1, -1, '')).toHaveLength(1);
    });
  });

  describe('one.vm.info and one.vm.action', () => {
    it("refuses unknown VMs and other users' VMs", async () => {
      const bobs = await launch(bob);
      expect(await alice.fail('one.vm.info', 77)).toEqual({
        message: '[one.vm.info] Error getting virtual machine [77].',
        code: NO_EXISTS,
        respId: 77,
        replication: -1,
      });
      expect(await alice.fail('one.vm.info', bobs)).toEqual({
        message: `[one.vm.info] User [2] : Not authorized to perform USE VM [${bobs}].`,
        code: AUTHORIZATION,
        respId: -1,
        replication: -1,
      });
      expect(await alice.fail('one.vm.action', 'terminate-hard', bobs)).toMatchObject({
        message: `[one.vm.action] User [2] : Not authorized to perform MANAGE VM [${bobs}].`,
        code: AUTHORIZATION,
      });
      expect(await alice.fail('one.vm.action', 'terminate', 77)).toMatchObject({
        message: '[one.vm.action] Error getting virtual machine [77].',
        code: NO_EXISTS,
        respId: 77,
      });
    });

    it('refuses the actions oned no longer has, and ADMIN ones', async () => {
      const id = await launch();
      clock.advance(BOOT);
      for (const old of ['shutdown', 'shutdown-hard', 'finalize', 'restart']) {
        expect(await alice.fail('one.vm.action', old, id)).toEqual({
          message: `[one.vm.action] Action "${old}" is not supported`,
          code: ACTION,
          respId: -1,
          replication: -1,
        });
      }
      expect((await alice.fail('one.vm.action', 'delete', id)).message).toBe(
        `[one.vm.action] User [2] : Not authorized to perform ADMIN VM [${id}].`,
      );
      expect(await state(id)).toEqual([3, 3]);
    });

    it("refuses an action the state does not allow, with oned's message", async () => {
      const id = await launch();
      expect(await alice.fail('one.vm.action', 'poweroff', id)).toEqual({
        message:
          '[one.vm.action] Error performing action "poweroff": This action is not available for state PENDING',
        code: ACTION,
        respId: -1,
        replication: -1,
      });
      clock.advance((BOOT * 2) / 3);
      expect((await alice.fail('one.vm.action', 'terminate', id)).message).toBe(
        `[one.vm.action] Error performing action "terminate": Could not terminate VM ${id}, wrong state BOOT.`,
      );
      clock.advance(BOOT);
      expect((await alice.fail('one.vm.action', 'resume', id)).message).toBe(
        '[one.vm.action] Error performing action "resume": This action is not available for state RUNNING',
      );
      expect((await alice.fail('one.vm.action', 'release', id)).message).toContain(
        'not available for state RUNNING',
      );
    });

    it('keeps a DONE VM: vm.info answers it, terminate again succeeds, other actions are refused', async () => {
      const id = await launch();
      await action('terminate-hard', id);
      const vm = (await alice.document('one.vm.info', id)).VM;
      expect(stateOf(vm)).toEqual([6, 0]);
      expect(vm.ETIME).toBe(vm.STIME);
      expect(vm.HISTORY_RECORDS).toBe('');
      expect(await action('terminate', id)).toBe(id);
      expect((await alice.fail('one.vm.action', 'poweroff', id)).message).toContain(
        'not available for state DONE',
      );
    });
  });

  describe('the life cycle', () => {
    it('deploys through PENDING, PROLOG and BOOT to RUNNING; powers off and resumes; terminates to DONE', async () => {
      const id = await launch();
      expect(await state(id)).toEqual([1, 0]);
      clock.advance(BOOT / 3);
      expect(await state(id)).toEqual([3, 1]);
      clock.advance(BOOT / 3);
      expect(await state(id)).toEqual([3, 2]);
      clock.advance(BOOT / 3);
      expect(await state(id)).toEqual([3, 3]);

      expect(await action('poweroff', id)).toBe(id);
      expect(await state(id)).toEqual([3, 18]);
      clock.advance(HALT);
      const off = (await alice.document('one.vm.info', id)).VM;
      expect(stateOf(off)).toEqual([8, 0]);
      expect([off.PREV_STATE, off.PREV_LCM_STATE]).toEqual(['3', '3']);
      expect(off.HISTORY_RECORDS.HISTORY[0].ACTION).toBe('19');

      await action('resume', id);
      expect(await state(id)).toEqual([3, 20]);
      clock.advance(BOOT);
      expect(await state(id)).toEqual([3, 3]);

      await action('terminate-hard', id);
      expect(await state(id)).toEqual([3, 12]);
      // A second hard terminate overrides the shutdown under way; a soft one is refused.
      expect(await action('terminate-hard', id)).toBe(id);
      expect((await alice.fail('one.vm.action', 'terminate', id)).message).toContain('wrong state SHUTDOWN.');
      clock.advance(HALT / 2);
      expect(await state(id)).toEqual([3, 11]);
      clock.advance(HALT / 2);
      const done = (await alice.document('one.vm.info', id)).VM;
      expect(stateOf(done)).toEqual([6, 0]);
      expect(Number(done.ETIME)).toBeGreaterThan(Number(done.STIME));
      expect(done.HISTORY_RECORDS.HISTORY[0]).toMatchObject({ ACTION: '28', UID: '2' });
    });

    it('terminates a powered-off VM through EPILOG', async () => {
      const id = await launch();
      clock.advance(BOOT);
      await action('poweroff-hard', id);
      clock.advance(HALT);
      await action('terminate', id);
      expect(await state(id)).toEqual([3, 11]);
      clock.advance(HALT);
      expect(await state(id)).toEqual([6, 0]);
    });

    it('fails a deployment into BOOT_FAILURE, which terminate cleans up', async () => {
      sim.control.failJobs(1);
      const id = await launch();
      clock.advance(BOOT);
      expect(await state(id)).toEqual([3, 36]);
      await action('terminate', id);
      expect(await state(id)).toEqual([3, 23]);
      clock.advance(HALT);
      expect(await state(id)).toEqual([6, 0]);
    });

    it('suspends, stops and undeploys, and resumes from each', async () => {
      const id = await launch();
      clock.advance(BOOT);
      await action('suspend', id);
      expect(await state(id)).toEqual([3, 6]);
      clock.advance(HALT);
      expect(await state(id)).toEqual([5, 0]);
      await action('resume', id);
      expect(await state(id)).toEqual([3, 21]);
      clock.advance(BOOT);

      await action('stop', id);
      expect(await state(id)).toEqual([3, 5]);
      clock.advance(HALT / 2);
      expect(await state(id)).toEqual([3, 10]);
      clock.advance(HALT / 2);
      expect(await state(id)).toEqual([4, 0]);
      await action('resume', id);
      expect(await state(id)).toEqual([1, 0]);
      clock.advance(BOOT / 3);
      expect(await state(id)).toEqual([3, 9]);
      clock.advance(BOOT / 3);
      expect(await state(id)).toEqual([3, 22]);
      clock.advance(BOOT / 3);

      await action('poweroff', id);
      clock.advance(HALT);
      await action('undeploy', id);
      expect(await state(id)).toEqual([3, 30]);
      clock.advance(HALT);
      expect(await state(id)).toEqual([9, 0]);
      await action('resume', id);
      clock.advance(BOOT / 2);
      expect(await state(id)).toEqual([3, 31]);
      clock.advance(BOOT / 2);
      expect(await state(id)).toEqual([3, 3]);
    });

    it('holds a pending VM, and deploys it from its release', async () => {
      const held = await alice.ok<number>('one.template.instantiate', 0, 'held', true, '', false);
      expect(await state(held)).toEqual([2, 0]);
      clock.advance(BOOT * 3);
      expect(await state(held)).toEqual([2, 0]);
      await action('release', held);
      expect(await state(held)).toEqual([1, 0]);
      clock.advance(BOOT);
      expect(await state(held)).toEqual([3, 3]);

      const pending = await launch();
      await action('hold', pending);
      expect(await state(pending)).toEqual([2, 0]);
      // Terminating a VM that never deployed ends it at once.
      await action('terminate', pending);
      expect(await state(pending)).toEqual([6, 0]);
    });

    it('shows a state a test forces, sticky over time, and checks actions against it', async () => {
      const id = await launch();
      sim.setVmState(id, 3, 16);
      clock.advance(BOOT * 5);
      expect(await state(id)).toEqual([3, 16]);
      const [listed] = await alice.vms('one.vmpool.info', -2, -1, -1, -1);
      expect(stateOf(listed)).toEqual([3, 16]);
      sim.setVmState(id, 3, 60);
      expect((await alice.fail('one.vm.action', 'poweroff', id)).message).toBe(
        '[one.vm.action] Error performing action "poweroff": This action is not available for state PROLOG_MIGRATE_UNKNOWN',
      );
      sim.setVmState(id, 8, 0);
      expect(await state(id)).toEqual([8, 0]);
      expect(ids(await alice.vms('one.vmpool.info', -2, -1, -1, 8))).toEqual([id]);
      // An action accepted in the forced state ends the force: the model's VM takes over.
      await action('terminate', id);
      expect(await state(id)).toEqual([3, 11]);
      // Retired numbers are accepted, for tables that still map them; numbers oned never had are not.
      sim.setVmState(id, 7, 0);
      expect(await state(id)).toEqual([7, 0]);
      sim.setVmState(id, 3, 14);
      expect(await state(id)).toEqual([3, 14]);
      expect(() => sim.setVmState(id, 12, 0)).toThrow(RangeError);
      expect(() => sim.setVmState(id, 3, 72)).toThrow(RangeError);
      expect(() => sim.setVmState(id, 3, 1.5)).toThrow(RangeError);
      expect(() => sim.setVmState(12345, 3, 3)).toThrow(RangeError);
    });
  });
});

describe('OpenNebula VMs on the system clock', { timeout: 60_000 }, () => {
  it('run and end within a poll loop, short delays and no timing asserted', { timeout: 60_000 }, async () => {
    const sim = await startOpenNebula({ bootDelayMs: 40, haltDelayMs: 40 });
    try {
      const one = new OneTestClient(sim.rpcUrl, `${sim.credentials.key}:${sim.credentials.secret}`);
      expect(sim.credentials.key).toBe('slipstream');
      const id = await one.ok<number>(
        'one.template.instantiate',
        sim.templates[0]?.id ?? 0,
        'polled',
        false,
        '',
        false,
      );
      const until = async (wanted: [number, number]): Promise<void> => {
        const deadline = Date.now() + 30_000;
        for (;;) {
          const current = stateOf((await one.document('one.vm.info', id)).VM);
          if (current[0] === wanted[0] && current[1] === wanted[1]) return;
          if (Date.now() > deadline) throw new Error(`VM ${id} stayed ${current} instead of ${wanted}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };
      await until([3, 3]);
      await one.ok('one.vm.action', 'terminate-hard', id);
      await until([6, 0]);
    } finally {
      await sim.close();
    }
  });
});
