import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@slipstream/release-test',
    // The release test publishes the workspace, installs it with npm (better-sqlite3 compiles from
    // source) and boots the server twice: minutes, not seconds. Its setup has its own timeout.
    testTimeout: 5 * 60_000,
    hookTimeout: 20 * 60_000,
  },
});
