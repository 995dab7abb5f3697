import { describe, expect, it } from 'vitest';
import type { OpenNebulaClient } from './client.js';
import { errorFromFailure, ONE_ERROR_CODES } from './errors.js';
import { start, stop, terminate } from './lifecycle.js';
import { contextFor, failure } from './testing/context.js';

// terminate, stop and start against a fake oned that records the one.vm.action calls: which
// action each sends, what is left alone, and what is refused before anything is sent.

/** STATE and LCM_STATE of a VM as oned numbers them. */
type OneState = readonly [state: number, lcm: number];
const RUNNING: OneState = [3, 3];
const BOOT: OneState = [3, 2];
const POWEROFF: OneState = [8, 0];
const DONE: OneState = [6, 0];

const vmXml = (id: number, [state, lcm]: OneState) =>
  `<VM><ID>${id}</ID><NAME>vm-${id}</NAME><STATE>${state}</STATE><LCM_STATE>${lcm}</LCM_STATE>` +
  '<TEMPLATE><VCPU>1</VCPU><MEMORY>2048</MEMORY></TEMPLATE></VM>';

/**
 * A fake oned: `states` gives each VM's state, read by one.vm.info (a VM it does not hold is
 * NO_EXISTS); `onAction` answers one.vm.action, by default accepting it.
 */
function fakeOned(states: Map<number, OneState>, onAction: (action: string, id: number) => void = () => {}) {
  const actions: [string, number][] = [];
  const client = {
    async document(method: string, [id]: [number]): Promise<string> {
      expect(method).toBe('one.vm.info');
      const state = states.get(id);
      if (state === undefined) {
        throw errorFromFailure(method, `[${method}] Error getting virtual machine [${id}].`, 0x400);
      }
      return vmXml(id, state);
    },
    async id(method: string, [action, id]: [string, number]): Promise<number> {
      expect(method).toBe('one.vm.action');
      actions.push([action, id]);
      onAction(action, id);
      return id;
    },
  };
  return { actions, client: client as unknown as OpenNebulaClient };
}

/** A poweroff refused during BOOT is waited out: a wait long enough for that. */
const contextOf = (client: OpenNebulaClient) =>
  contextFor(client, { parameters: { 'wait.timeout.ms': 5_000 } });

describe('terminate, stop and start', () => {
  it('send terminate-hard, poweroff and resume, never the shutdown or delete oned 5 refuses', async () => {
    const oned = fakeOned(
      new Map([
        [7, RUNNING],
        [8, RUNNING],
        [9, POWEROFF],
      ]),
    );
    const context = contextOf(oned.client);
    await terminate(context, ['7'], undefined);
    await stop(context, ['8'], undefined);
    await start(context, ['9'], undefined);
    expect(oned.actions).toEqual([
      ['terminate-hard', 7],
      ['poweroff', 8],
      ['resume', 9],
    ]);
  });

  it('leave a VM alone when it is already where the call takes it', async () => {
    const oned = fakeOned(
      new Map([
        [1, POWEROFF],
        [2, RUNNING],
        [3, DONE],
        [4, [3, 12]], // SHUTDOWN: being terminated
      ]),
    );
    const context = contextOf(oned.client);
    await stop(context, ['1'], undefined);
    await start(context, ['2'], undefined);
    await terminate(context, ['3', '4'], undefined);
    expect(oned.actions).toEqual([]);
  });

  it('refuse to stop or start a terminated VM, sending nothing for the batch', async () => {
    const oned = fakeOned(
      new Map([
        [1, RUNNING],
        [2, DONE],
      ]),
    );
    const context = contextOf(oned.client);
    const stopped = await failure(() => stop(context, ['1', '2'], undefined));
    expect(stopped.code).toBe('INVALID_REQUEST');
    expect(stopped.message).toContain('VM 2 (DONE)');
    expect((await failure(() => start(context, ['2'], undefined))).code).toBe('INVALID_REQUEST');
    expect(oned.actions).toEqual([]);
  });

  it('fail the batch NOT_FOUND, before any action, when one id is unknown or not a number', async () => {
    const oned = fakeOned(new Map([[1, RUNNING]]));
    const context = contextOf(oned.client);
    const unknown = await failure(() => terminate(context, ['1', '99'], undefined));
    expect(unknown.code).toBe('NOT_FOUND');
    expect(unknown.message).toContain('no VM 99');
    const malformed = await failure(() => terminate(context, ['vm-1'], undefined));
    expect(malformed.code).toBe('NOT_FOUND');
    expect(malformed.message).toContain('OpenNebula VM ids are numbers');
    expect(oned.actions).toEqual([]);
  });

  it('wait out a VM still booting when oned refuses poweroff, then ask again', async () => {
    const states = new Map<number, OneState>([[5, BOOT]]);
    let looks = 0;
    const oned = fakeOned(states, (action, id) => {
      if (states.get(id) === BOOT) {
        throw errorFromFailure(
          'one.vm.action',
          `[one.vm.action] Error performing action "${action}": This action is not available for state BOOT`,
          ONE_ERROR_CODES.ACTION,
        );
      }
    });
    const context = contextOf(oned.client);
    // The VM finishes booting after it has been looked at a few times.
    const document = oned.client.document.bind(oned.client);
    (oned.client as unknown as { document: typeof document }).document = async (method, parameters) => {
      looks += 1;
      if (looks === 3) states.set(5, RUNNING);
      return document(method, parameters);
    };
    await stop(context, ['5'], undefined);
    expect(oned.actions).toEqual([
      ['poweroff', 5],
      ['poweroff', 5],
    ]);
  });

  it('pass on a refusal that is not about the VM’s state', async () => {
    const oned = fakeOned(new Map([[1, RUNNING]]), () => {
      throw errorFromFailure(
        'one.vm.action',
        '[one.vm.action] User [3] : Not authorized to perform MANAGE VM [1].',
        ONE_ERROR_CODES.AUTHORIZATION,
      );
    });
    const denied = await failure(() => terminate(contextOf(oned.client), ['1'], undefined));
    expect(denied.code).toBe('PERMISSION_DENIED');
    expect(oned.actions).toEqual([['terminate-hard', 1]]);
  });
});
