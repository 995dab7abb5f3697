import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * .ci/run runs `pnpm test` on Node 20, then the server and the demo on Node 24 LTS from .ci/node24;
 * `pnpm test:node24` runs the whole suite there. These keep a Node 24 run honest and affordable: it
 * has Node 24 to run on, its test tasks cannot be turbo cache hits of a Node 20 run, and the tasks
 * whose output does not depend on Node can be.
 */

const root = fileURLToPath(new URL('../../..', import.meta.url));

interface TurboTask {
  readonly env?: string[];
}

describe('the Node 24 runs', () => {
  it('installs Node 24 from the lockfile in .ci/node24 (the npm registry node package)', async () => {
    const lock = JSON.parse(await readFile(join(root, '.ci/node24/package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string }>;
    };
    expect(lock.packages['node_modules/node']?.version).toMatch(/^24\.\d+\.\d+$/);
  });

  it("hashes the Node version (in pnpm's user agent) into every test task, and only there", async () => {
    const turbo = JSON.parse(await readFile(join(root, 'turbo.json'), 'utf8')) as {
      tasks: Record<string, TurboTask>;
      globalEnv?: string[];
    };
    expect(turbo.tasks.test?.env).toContain('npm_config_user_agent');
    // In a build's hash it would make the Node 24 run rebuild everything for identical output.
    expect(turbo.globalEnv ?? []).not.toContain('npm_config_user_agent');
    for (const task of ['build', 'typecheck', 'lint']) {
      expect(turbo.tasks[task]?.env ?? [], task).not.toContain('npm_config_user_agent');
    }
  });

  it('runs on Node 24 in CI and with pnpm test:node24, through scripts/node24.sh', async () => {
    const ci = await readFile(join(root, '.ci/run'), 'utf8');
    expect(ci).toContain('bash scripts/node24.sh');
    const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(manifest.scripts['test:node24']).toBe('bash scripts/node24.sh pnpm test');
  });

  it('reports the versions it tests in the README and CONTRIBUTING', async () => {
    for (const document of ['README.md', 'CONTRIBUTING.md']) {
      const text = await readFile(join(root, document), 'utf8');
      expect(text, document).toMatch(/Node(\.js)? 20 and Node 24 LTS/);
    }
  });
});
