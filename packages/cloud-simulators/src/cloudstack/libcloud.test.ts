import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../server/simulator.js';
import { APT_INSTALL_TIMEOUT_MS, ensureDebianClient } from '../testing/apt.js';
import { CLOUDSTACK_ZONES } from './catalog.js';
import { CLOUDSTACK_API_PATH } from './frontend.js';
import { startCloudStack } from './index.js';
import { callCloudStack, loopbackClientEnv, seedCatalogVms } from './test-client.js';

/**
 * Fidelity check with a client we did not write: Apache Libcloud's CloudStack driver (Debian's
 * python3-libcloud, 3.4.1 on Debian 12). Its `list_nodes()` asks for listVirtualMachines, then
 * listPublicIpAddresses, listPortForwardingRules and listIpForwardingRules, and fails unless all
 * four answer; `ex_list_networks()` asks for listNetworks.
 */

const run = promisify(execFile);

/** The Python that imports libcloud: the PATH's, else the system's (where Debian installs it). */
async function findPython(): Promise<string | undefined> {
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      await run(python, ['-c', 'import libcloud.compute.drivers.cloudstack'], { timeout: 60_000 });
      return python;
    } catch {
      // Not this one.
    }
  }
  return undefined;
}

async function pythonWithLibcloud(): Promise<string> {
  let found: string | undefined;
  await ensureDebianClient({
    packageName: 'python3-libcloud',
    otherwise: '"pip install apache-libcloud"',
    isInstalled: async () => {
      found = await findPython();
      return found !== undefined;
    },
  });
  return found as string;
}

/**
 * Lists nodes and networks through libcloud and prints them as JSON. The driver is built from the
 * full URL; `secure=False` because libcloud keeps its HTTPS default even for an `http://` URL.
 */
const PROGRAM = `
import json, os
from libcloud.compute.providers import get_driver
from libcloud.compute.types import Provider
import libcloud

cls = get_driver(Provider.CLOUDSTACK)
driver = cls(key=os.environ['CS_KEY'], secret=os.environ['CS_SECRET'], url=os.environ['CS_URL'], secure=False)
nodes = driver.list_nodes()
networks = driver.ex_list_networks()
print(json.dumps({
    'version': libcloud.__version__,
    'nodes': [
        {
            'id': node.id,
            'name': node.name,
            'state': str(node.state),
            'public_ips': sorted(node.public_ips),
            'private_ips': sorted(node.private_ips),
            'ip_addresses': sorted(str(address) for address in node.extra['ip_addresses']),
        }
        for node in nodes
    ],
    'networks': [
        {'id': net.id, 'name': net.name, 'displaytext': net.displaytext, 'zoneid': net.zoneid,
         'networkofferingid': net.networkofferingid, 'state': net.extra.get('state'), 'type': net.extra.get('type')}
        for net in networks
    ],
}))
`;

interface Listed {
  readonly version: string;
  readonly nodes: Array<{
    id: string;
    name: string;
    state: string;
    public_ips: string[];
    private_ips: string[];
    ip_addresses: string[];
  }>;
  readonly networks: Array<{
    id: string;
    name: string;
    displaytext: string;
    zoneid: string;
    networkofferingid: string;
    state: string;
    type: string;
  }>;
}

// Each test runs Python's libcloud: seconds apiece on a loaded CI machine.
describe('Apache Libcloud against the CloudStack simulator', { timeout: 60_000 }, () => {
  let sim: RunningSimulator;
  let python: string;
  let seeded: Array<{ id: string; name: string; publicIp: string; privateIp: string }>;

  beforeAll(async () => {
    python = await pythonWithLibcloud();
    sim = await startCloudStack({ bootDelayMs: 50, haltDelayMs: 50 });
    seeded = seedCatalogVms(sim, 'libcloud').map(({ id, name, publicIp, privateIp }) => ({
      id,
      name,
      publicIp,
      privateIp,
    }));
  }, APT_INSTALL_TIMEOUT_MS + 30_000);
  afterAll(() => sim?.close());

  const listThroughLibcloud = async (): Promise<Listed> => {
    const { stdout } = await run(python, ['-c', PROGRAM], {
      timeout: 60_000,
      env: loopbackClientEnv({
        CS_URL: `${sim.url}${CLOUDSTACK_API_PATH}`,
        CS_KEY: sim.credentials.key,
        CS_SECRET: sim.credentials.secret,
      }),
    });
    return JSON.parse(stdout) as Listed;
  };

  it('list_nodes() lists exactly the seeded VMs, running, with their addresses', async () => {
    sim.control.clearRequests();
    const listed = await listThroughLibcloud();
    expect(listed.nodes).toEqual(
      seeded.map((vm) => ({
        id: vm.id,
        name: vm.name,
        state: 'running',
        public_ips: [vm.publicIp],
        private_ips: [vm.privateIp],
        ip_addresses: [vm.publicIp],
      })),
    );
    // Every command libcloud sent was answered.
    const sent = sim.control.requests.map((request) => [request.operation, request.status]);
    expect(sent).toEqual([
      ['listVirtualMachines', 200],
      ['listPublicIpAddresses', 200],
      ['listPortForwardingRules', 200],
      ['listIpForwardingRules', 200],
      ['listNetworks', 200],
    ]);
  });

  it("ex_list_networks() returns the account's isolated guest network", async () => {
    const listed = await listThroughLibcloud();
    expect(listed.networks).toEqual([
      expect.objectContaining({
        zoneid: CLOUDSTACK_ZONES[0]?.id,
        state: 'Implemented',
        type: 'Isolated',
      }),
    ]);
    // The network the VMs' NICs are on.
    const [vm] = (await callCloudStack(sim, 'listVirtualMachines', { id: seeded[0]?.id ?? '' })).body
      .listvirtualmachinesresponse.virtualmachine;
    expect(listed.networks[0]).toMatchObject({ id: vm.nic[0].networkid, name: vm.nic[0].networkname });
    expect(typeof listed.networks[0]?.networkofferingid).toBe('string');
  });
});
