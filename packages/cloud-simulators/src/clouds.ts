import { startCloudStack } from './cloudstack/index.js';
import { startEc2 } from './ec2/index.js';
import { startExoscale } from './exoscale/index.js';
import { startOpenNebula } from './opennebula/index.js';
import { startOpenStack } from './openstack/index.js';
import { startOtc } from './otc/index.js';
import type { RunningSimulator, SimulatorOptions } from './server/simulator.js';
import { startVcloud } from './vcloud/index.js';

/** Every simulated cloud by its command-line name. */
export const SIMULATORS: Readonly<Record<string, (options?: SimulatorOptions) => Promise<RunningSimulator>>> =
  Object.freeze({
    cloudstack: startCloudStack,
    exoscale: startExoscale,
    openstack: startOpenStack,
    otc: startOtc,
    ec2: startEc2,
    opennebula: startOpenNebula,
    vcloud: startVcloud,
  });
