import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One root configuration; every package and tooling folder is a project, named as its package, so
// `vitest run` at the root runs everything and `vitest run --project @slipstream/connector-core` runs
// one package. A project without a vitest.config.ts of its own extends this file's test options.
// Paths from this file's folder: package scripts run vitest from their own folder with --root ../..
const root = fileURLToPath(new URL('.', import.meta.url));
const projects = ['packages', 'tooling'].flatMap((parent) =>
  readdirSync(join(root, parent))
    .map((name) => join(root, parent, name))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) =>
      existsSync(join(dir, 'vitest.config.ts'))
        ? dir
        : {
            extends: true as const,
            test: {
              name: (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string }).name,
              root: dir,
            },
          },
    ),
);

export default defineConfig({
  test: {
    projects,
    // A new CI machine may be loaded: a default of 5 s fails tests that are merely slow there (a first
    // request through undici, a first import), which is a flaky test, not a finding. Tests that start
    // servers or tools set their own, larger budgets.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two test files at a time at least, where vitest's default (one fewer than the cores) runs one
    // on a 2-core machine: most files spend their time waiting on servers and tools they start
    // (PostgreSQL, Keystone, Chromium, a CLI), and the server's files one by one were the longest
    // task of CI.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
