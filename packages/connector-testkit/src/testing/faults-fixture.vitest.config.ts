import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The configuration of the child vitest that faults-broken.test.ts starts: one file per slow
// quirk, so that vitest runs them side by side.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['src/testing/faults*.fixture.ts'],
  },
});
