import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@slipstream/server',
    // Logins hash with scrypt on purpose (~100 ms each, several times that on a loaded CI machine),
    // and many tests log in several users: the default 5 s is too tight for them, not for a bug.
    testTimeout: 20_000,
  },
});
