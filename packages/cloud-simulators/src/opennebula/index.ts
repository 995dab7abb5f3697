import { randomBytes } from 'node:crypto';
import type { SimAccountSpec } from '../model/types.js';
import { type RunningSimulator, type SimulatorOptions, startSimulator } from '../server/simulator.js';
import { OPENNEBULA_CATALOG, OPENNEBULA_DEFAULT_PATH, type OpenNebulaNetworkSpec } from './catalog.js';
import { OpenNebulaFrontEnd } from './frontend.js';
import { isStateInRange } from './states.js';

export interface OpenNebulaSimulatorOptions extends SimulatorOptions {
  /** Where XML-RPC is served; default '/RPC2'. */
  readonly path?: string | undefined;
  /** Default [{ id: 0, name: 'public', kind: 'public' }, { id: 1, name: 'private', kind: 'private' }]. */
  readonly networks?: readonly OpenNebulaNetworkSpec[] | undefined;
}

/** A running OpenNebula simulator: the XML-RPC endpoint, its networks and templates, and a state control. */
export interface RunningOpenNebula extends RunningSimulator {
  /** `${url}${path}`: what clients set as their endpoint. */
  readonly rpcUrl: string;
  /** credentials.key is the username, credentials.secret the password (inherited field). */
  readonly networks: readonly OpenNebulaNetworkSpec[];
  /** Template ids and names offered (from the model's images): what connectors launch from. */
  readonly templates: readonly { readonly id: number; readonly name: string }[];
  /** Forces a VM's STATE and LCM_STATE (sticky) — for tests of every state. */
  setVmState(id: number, state: number, lcmState: number): void;
}

/**
 * Starts an OpenNebula (oned 6.x) XML-RPC simulator on loopback: users from the accounts
 * (username the key, password the secret), VM templates from the model's images, virtual networks
 * handing out the model's addresses, VMs going through oned's states over the boot and halt delays.
 */
export async function startOpenNebula(options: OpenNebulaSimulatorOptions = {}): Promise<RunningOpenNebula> {
  const path = options.path ?? OPENNEBULA_DEFAULT_PATH;
  if (!path.startsWith('/')) throw new RangeError(`The XML-RPC path must start with "/"; got "${path}".`);
  const networks = options.networks ?? undefined;
  if (networks) checkNetworks(networks);
  const accounts = options.accounts?.length ? options.accounts : [randomOpenNebulaAccount()];
  let frontEnd: OpenNebulaFrontEnd | undefined;
  const simulator = await startSimulator({ ...options, accounts }, OPENNEBULA_CATALOG, (cloud) => {
    frontEnd = new OpenNebulaFrontEnd(cloud, {
      path,
      networks,
      bootDelayMs: options.bootDelayMs,
      haltDelayMs: options.haltDelayMs,
    });
    return frontEnd;
  });
  const { registry } = frontEnd as OpenNebulaFrontEnd;
  return {
    ...simulator,
    rpcUrl: `${simulator.url}${path}`,
    networks: registry.networks.map(({ id, name, kind }) => ({ id, name, kind })),
    templates: registry.templates().map(({ id, name }) => ({ id, name })),
    setVmState(id, state, lcmState) {
      if (!isStateInRange({ state, lcm: lcmState })) {
        throw new RangeError(`No OpenNebula VM has STATE ${state} and LCM_STATE ${lcmState}.`);
      }
      const record = registry.vm(id);
      if (!record) throw new RangeError(`The simulator has no VM ${id}.`);
      record.life.forced = { state, lcm: lcmState };
    },
  };
}

function checkNetworks(networks: readonly OpenNebulaNetworkSpec[]): void {
  const ids = new Set<number>();
  for (const network of networks) {
    if (!Number.isInteger(network.id) || network.id < 0 || ids.has(network.id)) {
      throw new RangeError(`Network ids are distinct whole numbers from 0; got ${network.id}.`);
    }
    ids.add(network.id);
  }
}

/** A user of OpenNebula's core driver: a name without blanks or colons, a random password. */
export function randomOpenNebulaAccount(): SimAccountSpec {
  return { key: 'slipstream', secret: randomBytes(18).toString('base64url'), name: 'slipstream' };
}

export {
  OPENNEBULA_DEFAULT_NETWORKS,
  OPENNEBULA_IMAGES,
  OPENNEBULA_VERSION,
  type OpenNebulaNetworkSpec,
} from './catalog.js';
export { OPENNEBULA_ERROR_CODES } from './errors.js';
export { OpenNebulaFrontEnd, type OpenNebulaFrontEndOptions } from './frontend.js';
export { LCM_STATE, VM_STATE } from './states.js';
