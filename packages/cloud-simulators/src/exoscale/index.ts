import { type RunningSimulator, type SimulatorOptions, startSimulator } from '../server/simulator.js';
import { EXOSCALE_CATALOG } from './catalog.js';
import { ExoscaleFrontEnd } from './frontend.js';
import type { SecurityGroups } from './security-groups.js';

/** A running Exoscale simulator; the API is at `${url}/v2` (zone ch-gva-2) or `${url}/<zone>/v2`. */
export interface RunningExoscale extends RunningSimulator {
  /** The accounts' security groups (each has `default`); add more with `securityGroups.add`. */
  readonly securityGroups: SecurityGroups;
}

/**
 * Starts an Exoscale API v2 simulator on loopback with Exoscale's zones, a few public templates
 * and the standard instance types (replace them through the options).
 */
export async function startExoscale(options: SimulatorOptions = {}): Promise<RunningExoscale> {
  let frontEnd: ExoscaleFrontEnd | undefined;
  const simulator = await startSimulator(options, EXOSCALE_CATALOG, (cloud) => {
    frontEnd = new ExoscaleFrontEnd(cloud);
    return frontEnd;
  });
  return { ...simulator, securityGroups: (frontEnd as ExoscaleFrontEnd).securityGroups };
}

export {
  EXOSCALE_CATALOG,
  EXOSCALE_INSTANCE_TYPES,
  EXOSCALE_TEMPLATES,
  EXOSCALE_ZONE_NAMES,
  EXOSCALE_ZONES,
} from './catalog.js';
export { ExoscaleFrontEnd } from './frontend.js';
export { type SecurityGroup, SecurityGroups } from './security-groups.js';
export { EXO2_SCHEME, exoscaleSignature, type SignedParts } from './signature.js';
