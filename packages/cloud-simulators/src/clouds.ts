import type { RunningSimulator, SimulatorOptions } from './server/simulator.js';

/** Every simulated cloud by its command-line name. */
export const SIMULATORS: Readonly<Record<string, (options?: SimulatorOptions) => Promise<RunningSimulator>>> =
  Object.freeze({});
