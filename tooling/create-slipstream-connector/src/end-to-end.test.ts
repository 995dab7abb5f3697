import { execFile, spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { loadConnectors, mapState } from '@slipstream/connector-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScaffoldResult, scaffoldConnector } from './scaffold.js';

/**
 * What an author gets, end to end: a package scaffolded into a scratch workspace outside the
 * repository, whose node_modules links the repository's built core, testkit and cloud simulators
 * and its toolchain (no registry involved), typechecked and built with the repository's tsc and
 * tsup, its tests (the conformance and fault suites against its stand-in API, and signing) run by
 * a child vitest, and the built package loaded by core's loader and used against the stand-in.
 */

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const requireFromRepo = createRequire(join(repo, 'package.json'));
const run = promisify(execFile);
const NAME = 'acme-cloud';
const ENDPOINT = 'https://api.example.com/v1';
const WORKSPACE_PACKAGES = ['connector-core', 'connector-testkit', 'cloud-simulators'];

/** What the generated src/testing/stand-in-api.ts exports, as far as these tests use it. */
interface StandInModule {
  startStandInApi(options?: { bootDelayMs?: number }): Promise<{
    readonly url: string;
    readonly credentials: { readonly key: string; readonly secret: string };
    close(): Promise<void>;
  }>;
}

/** The JavaScript file a tool's bin points at, resolved from the repository root. */
function binOf(tool: string, bin = tool): string {
  const manifestPath = requireFromRepo.resolve(`${tool}/package.json`);
  const manifest = requireFromRepo(manifestPath) as { bin?: string | Record<string, string> };
  const relative = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[bin];
  if (relative === undefined) throw new Error(`${tool} has no bin "${bin}"`);
  return join(dirname(manifestPath), relative);
}

/** The environment without the npm_* variables of the pnpm or npm running these tests. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')),
  );
}

/** Runs a tool with the current Node in `cwd`; the error carries its output. */
async function tool(file: string, args: readonly string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run(process.execPath, [file, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`, { cause: error });
  }
}

let scratch: string;
let scaffolded: ScaffoldResult;

// Each step runs a real tool (tsc, tsup, vitest) in a child process: on a loaded CI machine these
// take many times their usual seconds, so the budgets are generous; nothing here measures time.
beforeAll(async () => {
  for (const pkg of WORKSPACE_PACKAGES) {
    if (!existsSync(join(repo, 'packages', pkg, 'dist', 'index.js'))) {
      throw new Error(
        `packages/${pkg} is not built: run \`pnpm turbo run build --filter create-slipstream-connector...\` first.`,
      );
    }
  }
  scratch = await mkdtemp(join(tmpdir(), 'scaffolder-e2e-'));
  const modules = join(scratch, 'node_modules');
  await mkdir(join(modules, '@slipstream'), { recursive: true });
  await mkdir(join(modules, '@types'), { recursive: true });
  const links: [string, string][] = [
    ...WORKSPACE_PACKAGES.map((pkg): [string, string] => [`@slipstream/${pkg}`, join(repo, 'packages', pkg)]),
    ...['vitest', 'tsup', 'typescript', '@types/node'].map((name): [string, string] => [
      name,
      realpathSync(join(repo, 'node_modules', name)),
    ]),
  ];
  for (const [name, target] of links) await symlink(target, join(modules, name), 'dir');
  // `npm pack` runs the package's `prepack: tsup` with the node_modules/.bin of its ancestors on
  // the PATH, as `npm install` would have set them up.
  await mkdir(join(modules, '.bin'));
  await symlink(binOf('tsup'), join(modules, '.bin', 'tsup'));

  scaffolded = await scaffoldConnector({ name: NAME, cwd: scratch });
  // Installed where the loader looks, as `npm install <dir>` would link it.
  await symlink(scaffolded.dir, join(modules, scaffolded.packageName), 'dir');
}, 180_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('a scaffolded connector', () => {
  it('typechecks with the generated tsconfig', async () => {
    await tool(binOf('typescript', 'tsc'), ['-p', 'tsconfig.json'], scaffolded.dir);
  }, 180_000);

  it('builds with tsup: ESM entry and types where package.json says', async () => {
    await tool(binOf('tsup'), [], scaffolded.dir);
    const manifest = JSON.parse(await readFile(join(scaffolded.dir, 'package.json'), 'utf8'));
    const entry = manifest.exports['.'] as { types: string; import: string };
    expect(existsSync(join(scaffolded.dir, entry.import))).toBe(true);
    expect(existsSync(join(scaffolded.dir, entry.types))).toBe(true);
    const types = await readFile(join(scaffolded.dir, entry.types), 'utf8');
    // The public surface the guidelines allow, and nothing else.
    expect(types).toContain(
      'export { ACME_CLOUD_CREDENTIALS, ACME_CLOUD_PARAMETERS, ACME_CLOUD_STATES, createAcmeCloudConnector, definition as default };',
    );
  }, 180_000);

  it('passes its conformance, fault and signing tests out of the box', async () => {
    const report = join(scratch, 'report.json');
    await tool(
      binOf('vitest'),
      ['run', '--root', scaffolded.dir, '--reporter=json', `--outputFile=${report}`],
      scaffolded.dir,
    );
    const json = JSON.parse(await readFile(report, 'utf8')) as {
      numTotalTests: number;
      numPassedTests: number;
      testResults: { name: string; assertionResults: { title: string; status: string }[] }[];
    };
    const files = ['conformance.test.ts', 'faults.test.ts', 'signing.test.ts'];
    expect(json.testResults.map((file) => file.name).sort()).toEqual(
      files.map((file) => join(scaffolded.dir, 'src', file)),
    );
    const failed = json.testResults
      .flatMap((file) => file.assertionResults)
      .filter((result) => result.status !== 'passed');
    expect(failed).toEqual([]);
    const passedIn = (file: string): number =>
      json.testResults
        .find((result) => result.name.endsWith(`${file}`))
        ?.assertionResults.filter((result) => result.status === 'passed').length ?? 0;
    // Each suite ran whole: every check of the testkit's suites, none skipped (the fault suite
    // has at least one check per fault: 503, 429, reset, lost create, malformed, auth, timeout).
    expect(passedIn('conformance.test.ts')).toBeGreaterThanOrEqual(20);
    expect(passedIn('faults.test.ts')).toBeGreaterThanOrEqual(7);
    expect(passedIn('signing.test.ts')).toBeGreaterThanOrEqual(1);
    expect(json.numPassedTests).toBe(json.numTotalTests);
  }, 180_000);

  it("loads through core's loader, twice, and works against the stand-in API", async () => {
    const standIn = (await import(
      pathToFileURL(join(scaffolded.dir, 'src', 'testing', 'stand-in-api.ts')).href
    )) as StandInModule;
    // One stand-in per instance: each instance is its own cloud.
    const [first, second] = await Promise.all([standIn.startStandInApi(), standIn.startStandInApi()]);
    const registry = await loadConnectors(`${NAME},x2:${NAME}`, {
      from: scratch,
      parameters: { [NAME]: { endpoint: `${first.url}/v1` }, x2: { endpoint: `${second.url}/v1` } },
    });
    try {
      expect(registry.problems).toEqual([]);
      expect(registry.instances.map((info) => [info.name, info.connector, info.package])).toEqual([
        [NAME, NAME, 'slipstream-connector-acme-cloud'],
        ['x2', NAME, 'slipstream-connector-acme-cloud'],
      ]);
      expect(registry.instances[0]).toMatchObject({
        cloud: 'Acme Cloud',
        version: '0.1.0',
        license: 'Apache-2.0',
        openSource: true,
      });
      const session = await registry.instance('x2').session(second.credentials);
      await session.checkCredentials();
      const [vm] = await session.launch({
        name: 'web',
        image: 'debian-12',
        size: 'small',
        idempotencyKey: 'e2e-1',
      });
      expect(vm).toMatchObject({ name: 'web', state: 'pending', rawState: 'BUILDING', zone: 'zone-a' });
      expect((await session.describe()).map((listed) => listed.id)).toEqual([vm?.id]);
      const other = await registry.instance(NAME).session(first.credentials);
      expect(await other.describe()).toEqual([]);
      // The other stand-in does not know this instance's user.
      const stranger = await registry.instance(NAME).session(second.credentials);
      await expect(stranger.checkCredentials()).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    } finally {
      await registry.close();
      await Promise.all([first.close(), second.close()]);
    }
  }, 180_000);

  it('reports a missing endpoint through the loader as a parameter problem', async () => {
    const registry = await loadConnectors(NAME, { from: scratch });
    try {
      expect(registry.problems).toHaveLength(1);
      expect(registry.problems[0]).toMatchObject({ code: 'CONFIG_INVALID', key: 'endpoint' });
    } finally {
      await registry.close();
    }
  });

  it("documents the definition's state table in its README", async () => {
    const registry = await loadConnectors(NAME, {
      from: scratch,
      parameters: { [NAME]: { endpoint: ENDPOINT } },
    });
    try {
      const { states } = registry.instance(NAME).definition;
      const readme = await readFile(join(scaffolded.dir, 'README.md'), 'utf8');
      const rows = [...readme.matchAll(/^\| `([A-Z_]+)`\s*\| (\w+)\s*\|$/gm)].map((row) => [row[1], row[2]]);
      expect(Object.fromEntries(rows)).toEqual(states);
      expect(mapState(states, 'SOMETHING_NEW')).toBe('unknown');
    } finally {
      await registry.close();
    }
  });
});

describe('npm run try-in-server', () => {
  it('packs the connector, checks it and serves it from a scratch server built from the checkout', async () => {
    // Linked to this checkout's built packages, as `--from-checkout` writes it: the script takes
    // the server and the command from the same checkout (they are not on the registry).
    const linked = await scaffoldConnector({ name: 'acme-try', cwd: scratch, fromCheckout: repo });
    const child = spawn(process.execPath, ['scripts/try-in-server.mjs'], {
      cwd: linked.dir,
      env: { ...cleanEnv(), PORT: '0', NO_COLOR: '1', FORCE_COLOR: '0' },
      // Its own process group, so that the test stops it and what it started by the group.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const serverPid = (): number | undefined => {
      const pid = /\(server PID (\d+)\)/.exec(output)?.[1];
      return pid === undefined ? undefined : Number(pid);
    };
    const kill = (pid: number | undefined, signal: NodeJS.Signals): void => {
      if (pid === undefined) return;
      try {
        process.kill(pid, signal);
      } catch {
        // Already gone.
      }
    };
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          output += chunk;
          const listening = /listening on (http:\/\/\S+)/.exec(output)?.[1];
          if (listening !== undefined) resolve(listening);
        });
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          output += chunk;
        });
        child.on('exit', (code) =>
          reject(new Error(`try-in-server exited (${code}) before the server listened:\n${output}`)),
        );
      });
      expect(output).toContain('> slipstream config check "acme-try"');
      expect(output).toContain('slipstream-connector-acme-try');
      const health = (await (await fetch(`${url}/api/health`)).json()) as Record<string, unknown>;
      expect(health).toMatchObject({ status: 'ok', instances: ['acme-try'], problems: [] });

      // The script passes the stop on to the server, which closes, and ends with it.
      expect(child.pid).toBeDefined();
      kill(-(child.pid as number), 'SIGTERM');
      await exited;
      await expect(fetch(`${url}/api/health`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null && child.signalCode === null) kill(-(child.pid as number), 'SIGKILL');
      // The server runs in a process group of its own.
      kill(serverPid(), 'SIGKILL');
    }
  }, 240_000);
});
