import { waitFor } from '@slipstream/connector-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchRequest, type Rig, startRig } from './testing/fixtures.js';

// The default subnet: a name is found in the VPC service's Neutron API (signed, with the project),
// an unknown one is a configuration error naming the parameter.

describe('OTC default subnet', () => {
  let rig: Rig;
  let unknown: Rig;

  beforeAll(async () => {
    rig = await startRig({ parameters: { subnet: 'private' } });
    unknown = await startRig({ parameters: { subnet: 'no-such-subnet' } });
  });

  afterAll(async () => {
    await rig.close();
    await unknown.close();
  });

  // Two launches and a wait for running: generous on a loaded machine.
  it('attaches servers to the subnet named, looked up once through the VPC endpoint', {
    timeout: 60_000,
  }, async () => {
    const session = await rig.session('access-key');
    const first = await session.launch(launchRequest(rig, 'on-subnet-1'));
    const second = await session.launch(launchRequest(rig, 'on-subnet-2'));
    expect(rig.sim.control.count('list-networks')).toBe(1);
    const ids = [...first, ...second].map((vm) => vm.id);
    const vms = await waitFor(session, ids, 'running', { timeout: 30_000, interval: 20 });
    expect(vms).toHaveLength(2);
    for (const vm of vms) expect(vm.privateIps.length).toBeGreaterThan(0);
    await session.terminate(vms.map((vm) => vm.id));
  });

  it('refuses a subnet name the VPC service does not know, naming the parameter', async () => {
    const session = await unknown.session('access-key');
    await expect(session.launch(launchRequest(unknown, 'nowhere'))).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('no-such-subnet'),
    });
    expect(unknown.sim.control.count('create-server')).toBe(0);
  });
});
