import { waitFor } from '@slipstream/connector-core';
import { afterAll, describe, expect, it } from 'vitest';
import { createOpenStackConnector } from './connector.js';
import { openStackSettings } from './parameters.js';
import { launchRequest, type Rig, startRig } from './testing/fixtures.js';

/**
 * The Neutron side against the simulator: named networks, and floating IPs attached at launch and
 * released at terminate, with a short poll so that waiting for the port takes milliseconds. The
 * simulator's project sees devstack's networks: its own `private` and the external `public`.
 */

const rigs: Rig[] = [];
afterAll(async () => {
  for (const rig of rigs) await rig.close();
});

const quickPolls = createOpenStackConnector({
  settings: (parameters) => ({ ...openStackSettings(parameters), pollIntervalMs: 20, portTimeoutMs: 20_000 }),
});

async function rig(parameters: Record<string, unknown>): Promise<Rig> {
  const started = await startRig({ definition: quickPolls, parameters });
  rigs.push(started);
  return started;
}

describe('OpenStack connector with Neutron', () => {
  it('attaches servers to the private network named by network.private', async () => {
    const r = await rig({ 'network.private': 'private' });
    const [vm] = await r.session.launch(launchRequest(r, 'named-net'));
    const [running] = await waitFor(r.session, [vm?.id ?? ''], 'running', { interval: 20, timeout: 20_000 });
    expect(running?.privateIps).toHaveLength(1);
    expect(running?.publicIps).toEqual([]);
    expect(r.sim.control.count('list-networks')).toBe(1);
  });

  it('gives each server a floating IP from the external network, once, and releases it on terminate', async () => {
    const r = await rig({ 'floating.ips': true });
    const request = launchRequest(r, 'floating', { count: 2 });
    const vms = await r.session.launch(request);
    expect(r.sim.control.count('create-floatingip')).toBe(2);
    const running = await waitFor(
      r.session,
      vms.map((vm) => vm.id),
      'running',
      { interval: 20, timeout: 20_000 },
    );
    for (const vm of running) {
      expect(vm.publicIps).toHaveLength(1);
      expect(vm.privateIps).toHaveLength(1);
    }
    // A retried launch finds the servers and their addresses: nothing new.
    await r.session.launch(request);
    expect(r.sim.control.count('create-floatingip')).toBe(2);
    await r.session.terminate(vms.map((vm) => vm.id));
    expect(r.sim.control.count('delete-floatingip')).toBe(2);
    await waitFor(
      r.session,
      vms.map((vm) => vm.id),
      'terminated',
      { interval: 20, timeout: 20_000 },
    );
  });

  it('refuses a network name the project cannot see, naming the parameter', async () => {
    const r = await rig({ 'network.private': 'no-such-network', 'network.public': 'public' });
    await expect(r.session.launch(launchRequest(r, 'nowhere'))).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('Parameter "network.private" names network "no-such-network"'),
    });
    expect(r.sim.control.count('create-server')).toBe(0);
  });
});
