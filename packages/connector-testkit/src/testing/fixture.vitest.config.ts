import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The configuration of the child vitest that broken.test.ts starts on broken.fixture.ts.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['src/testing/broken.fixture.ts'],
  },
});
