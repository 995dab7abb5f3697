export { freePort } from './free-port.js';
export { type RunOptions, type RunResult, run, tail } from './run.js';
