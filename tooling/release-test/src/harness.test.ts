import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { engineConflicts, linksLeaving, minimumNode } from './install.js';
import { redactor, run } from './run.js';
import { parseNpmConfig } from './uplink.js';
import { LOCAL_PACKAGES, verdaccioConfig } from './verdaccio.js';
import { SERVER_README, walkThroughBlock } from './walk-through.js';
import { missingBuildOutput, publishablePackages, WORKSPACE_ROOT } from './workspace.js';

/** The release test's own pieces, checked in seconds (the release itself is release.test.ts). */

const scratch = mkdtempSync(join(tmpdir(), 'slipstream-release-harness-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('run', () => {
  it('rejects with the command, its status and its output, secrets redacted', async () => {
    const failing = run(process.execPath, ['-e', 'console.log("token tok-123 here"); process.exit(3)'], {
      cwd: scratch,
      env: process.env,
      timeoutMs: 30_000,
      secrets: ['tok-123'],
    });
    await expect(failing).rejects.toThrow(/exited with status 3:\ntoken \*\*\* here/);
    await expect(failing).rejects.not.toThrow(/tok-123/);
  });

  it('resolves a failure with its status when asked to', async () => {
    const result = await run(process.execPath, ['-e', 'process.exit(2)'], {
      cwd: scratch,
      env: process.env,
      timeoutMs: 30_000,
      allowFailure: true,
    });
    expect(result.status).toBe(2);
  });

  it('kills a command that outlives its timeout', async () => {
    const slow = run(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], {
      cwd: scratch,
      env: process.env,
      timeoutMs: 200,
      allowFailure: true,
    });
    await expect(slow).rejects.toThrow(/did not finish within 0.2 s and was killed/);
  });

  it('redacts every occurrence of every non-empty secret', () => {
    expect(redactor(['ab', ''])('ab-ab-c')).toBe('***-***-c');
  });
});

describe('the Verdaccio configuration', () => {
  const uplink = parseNpmConfig(
    'registry=https://registry.example.test/\ncafile=/etc/ca.pem\nhttps-proxy=http://proxy.example.test:3128\nproxy=null\nnoproxy=\nstrict-ssl=true\n',
  );
  const config = verdaccioConfig('/tmp/x', uplink) as {
    packages: Record<string, { proxy?: string; publish: string }>;
    uplinks: Record<string, Record<string, unknown>>;
    publish: { allow_offline: boolean };
    storage: string;
  };

  it('serves and publishes our packages locally only, and proxies the rest to the uplink', () => {
    for (const pattern of LOCAL_PACKAGES) {
      expect(config.packages[pattern]?.proxy, pattern).toBeUndefined();
      expect(config.packages[pattern]?.publish).toBe('$authenticated');
    }
    expect(config.packages['**']?.proxy).toBe('upstream');
    expect(config.uplinks.upstream?.url).toBe('https://registry.example.test/');
    expect(config.uplinks.upstream?.https_proxy).toBe('http://proxy.example.test:3128');
    expect(config.uplinks.upstream).not.toHaveProperty('http_proxy');
    expect(config.uplinks.upstream).not.toHaveProperty('no_proxy');
    // Local patterns come first: Verdaccio uses the first pattern a name matches.
    expect(Object.keys(config.packages).at(-1)).toBe('**');
  });

  it('keeps its storage in its directory and publishes while the uplink is offline', () => {
    expect(config.storage).toBe('/tmp/x/storage');
    expect(config.publish.allow_offline).toBe(true);
  });
});

describe('parseNpmConfig', () => {
  it('reads the settings npm printed, unset ones as undefined', () => {
    expect(parseNpmConfig('registry=http://127.0.0.1:4873/\ncafile=null\nstrict-ssl=false\n')).toEqual({
      url: 'http://127.0.0.1:4873/',
      cafile: undefined,
      httpsProxy: undefined,
      httpProxy: undefined,
      noProxy: undefined,
      strictSsl: false,
    });
  });

  it('says how to fix a missing registry', () => {
    expect(() => parseNpmConfig('registry=null\n')).toThrow(/npm config set registry/);
  });
});

describe('linksLeaving', () => {
  it('reports links out of the project and accepts links inside it', () => {
    const project = join(scratch, 'links');
    mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
    mkdirSync(join(project, 'node_modules', 'inside'));
    symlinkSync('../inside', join(project, 'node_modules', '.bin', 'inside'));
    symlinkSync(WORKSPACE_ROOT, join(project, 'node_modules', 'workspace'));
    expect(linksLeaving(project)).toEqual([
      { link: join('node_modules', 'workspace'), target: WORKSPACE_ROOT },
    ]);
  });
});

describe('engineConflicts', () => {
  it('names each installed package, nested and scoped ones included, whose engines.node excludes the oldest Node', () => {
    const dir = join(scratch, 'engines');
    const write = (path: string, manifest: object): void => {
      mkdirSync(join(dir, path), { recursive: true });
      writeFileSync(join(dir, path, 'package.json'), JSON.stringify(manifest));
    };
    write('node_modules/fastify', { name: 'fastify', version: '5.0.0', engines: { node: '>=20' } });
    write('node_modules/@scope/any', { name: '@scope/any', version: '1.0.0' });
    write('node_modules/fastify/node_modules/cookie', {
      name: 'cookie',
      version: '2.0.2',
      engines: { node: '>=22' },
    });
    write('node_modules/@scope/new', {
      name: '@scope/new',
      version: '3.0.0',
      engines: { node: '^22 || ^24' },
    });
    expect(minimumNode('>=20.18.1')).toBe('20.18.1');
    expect(engineConflicts(dir, '20.18.1')).toEqual([
      { package: '@scope/new', version: '3.0.0', node: '^22 || ^24' },
      { package: 'cookie', version: '2.0.2', node: '>=22' },
    ]);
    expect(engineConflicts(dir, '24.0.0')).toEqual([]);
  });
});

describe('missingBuildOutput', () => {
  it('names a missing dist, then the files the manifest points at that the build did not make', () => {
    const dir = join(scratch, 'pkg');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: 'x',
        exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
        bin: { x: './dist/cli.js' },
      }),
    );
    const pkg = { name: 'x', version: '1.0.0', dir };
    expect(missingBuildOutput(pkg)).toEqual(['dist/']);
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'index.js'), '');
    expect(missingBuildOutput(pkg)).toEqual(['./dist/cli.js', './dist/index.d.ts']);
  });
});

describe('the build order', () => {
  it('makes turbo build every publishable package before this test runs', async () => {
    const turbo = JSON.parse(readFileSync(new URL('../turbo.json', import.meta.url), 'utf8')) as {
      tasks: { test: { dependsOn: string[] } };
    };
    const publishable = await publishablePackages();
    expect(publishable.length).toBeGreaterThan(5);
    // A new publishable package must be added to turbo.json, or the release test could run before
    // it is built and fail on its missing dist.
    expect(turbo.tasks.test.dependsOn.filter((task) => task.endsWith('#build')).sort()).toEqual(
      publishable.map((pkg) => `${pkg.name}#build`).sort(),
    );
  });
});

describe("the server README's walk-through", () => {
  it('is the first sh block of "Run it", from the install to the server\'s first start', () => {
    const block = walkThroughBlock(readFileSync(SERVER_README, 'utf8'));
    expect(block).toMatch(/^# 1\. /);
    expect(block).toContain(
      'npm install @slipstream/server @slipstream/cli @slipstream/connector-cloudstack',
    );
    expect(block).toContain('npx slipstream-sim cloudstack --port "$CLOUDSTACK_PORT"');
    expect(block.trimEnd().split('\n').at(-1)).toMatch(/npx slipstream-server$/);
  });

  it('is the same block in the root README, so both walk an administrator the same way', () => {
    const root = readFileSync(join(WORKSPACE_ROOT, 'README.md'), 'utf8');
    expect(root).toContain(`\`\`\`sh\n${walkThroughBlock(readFileSync(SERVER_README, 'utf8'))}\`\`\``);
  });
});
