import { type RunningSimulator, type SimulatorOptions, startSimulator } from '../server/simulator.js';
import { CLOUDSTACK_CATALOG } from './catalog.js';
import type { CloudStackSettings } from './context.js';
import { createCloudStackFrontEnd } from './frontend.js';

/**
 * The Apache CloudStack API simulator (4.18–4.20 behaviour) on the shared cloud model. Its API is
 * at `${url}/client/api`.
 */

export interface CloudStackSimulatorOptions extends SimulatorOptions, Partial<CloudStackSettings> {}

export async function startCloudStack(options: CloudStackSimulatorOptions = {}): Promise<RunningSimulator> {
  const {
    allowUserExpungeRecoverVm,
    allowUserViewDestroyedVm,
    defaultPageSize,
    userDataMaxLength,
    ...common
  } = options;
  const settings: Partial<CloudStackSettings> = {
    ...(allowUserExpungeRecoverVm === undefined ? {} : { allowUserExpungeRecoverVm }),
    ...(allowUserViewDestroyedVm === undefined ? {} : { allowUserViewDestroyedVm }),
    ...(defaultPageSize === undefined ? {} : { defaultPageSize }),
    ...(userDataMaxLength === undefined ? {} : { userDataMaxLength }),
  };
  return startSimulator(common, CLOUDSTACK_CATALOG, (cloud) => createCloudStackFrontEnd(cloud, settings));
}

export {
  CLOUDSTACK_CATALOG,
  CLOUDSTACK_OFFERINGS,
  CLOUDSTACK_TEMPLATES,
  CLOUDSTACK_ZONES,
} from './catalog.js';
export type { CloudStackSettings } from './context.js';
export { API_ERROR as CLOUDSTACK_API_ERROR, CS_ERROR as CLOUDSTACK_CS_ERROR } from './errors.js';
export { CLOUDSTACK_API_PATH, createCloudStackFrontEnd, DEFAULT_CLOUDSTACK_SETTINGS } from './frontend.js';
export { computeSignature as cloudStackSignature, javaUrlEncode, stringToSign } from './signature.js';
