import { defineConfig } from 'vitest/config';

// One root configuration; every package and tooling folder is a project, so `vitest run` at the
// root runs everything and `vitest run --project @slipstream/connector-core` runs one package.
export default defineConfig({
  test: {
    projects: ['packages/*', 'tooling/*'],
  },
});
