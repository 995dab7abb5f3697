import { tsupBase } from '@slipstream/tooling-config/tsup';
import { defineConfig } from 'tsup';

// The suite must use the caller's vitest (its runner registers the tests) and the caller's core
// (errors are brand-checked, but createInstance and waitFor must be the ones the connector uses).
// Peer dependencies are external by default; listing them keeps that true if they ever move.
export default defineConfig({
  ...tsupBase,
  entry: ['src/index.ts'],
  external: ['vitest', '@slipstream/connector-core'],
});
