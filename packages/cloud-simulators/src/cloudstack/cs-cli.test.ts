import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../server/simulator.js';
import { APT_INSTALL_TIMEOUT_MS, ensureDebianClient } from '../testing/apt.js';
import { CLOUDSTACK_OFFERINGS, CLOUDSTACK_TEMPLATES, CLOUDSTACK_ZONES } from './catalog.js';
import { CLOUDSTACK_API_PATH } from './frontend.js';
import { startCloudStack } from './index.js';
import { loopbackClientEnv, seedCatalogVms } from './test-client.js';

/**
 * Fidelity check with a client we did not write: Debian's `cs` (python3-cs, exoscale/cs 2.7.1)
 * signs its own requests (signatureVersion 3 with an expiry by default), reads our envelopes and
 * polls our async jobs. Debian installs its command as `cloudstack` (package `cs`); the module
 * also runs as `python3 -m cs`.
 */

const run = promisify(execFile);

/** Whether the command runs and is the CloudStack client (Debian's csound also installs a `cs`). */
async function isCsClient(command: readonly string[]): Promise<boolean> {
  const [file, ...args] = command as [string, ...string[]];
  try {
    const { stdout } = await run(file, [...args, '--help'], { timeout: 60_000 });
    return /cloudstack/i.test(stdout);
  } catch {
    return false;
  }
}

/** `cs`, then Debian's `cloudstack`, then the module under the system's or the PATH's Python. */
async function findCs(): Promise<readonly string[] | undefined> {
  const candidates = [['cs'], ['cloudstack'], ['python3', '-m', 'cs'], ['/usr/bin/python3', '-m', 'cs']];
  for (const candidate of candidates) if (await isCsClient(candidate)) return candidate;
  return undefined;
}

/** The command that runs the `cs` client, installing python3-cs when none is there. */
async function csCommand(): Promise<readonly string[]> {
  let found: readonly string[] | undefined;
  await ensureDebianClient({
    packageName: 'python3-cs',
    otherwise: '"pip install cs"',
    isInstalled: async () => {
      found = await findCs();
      return found !== undefined;
    },
  });
  return found as readonly string[];
}

// Each test runs Python's cs client one or more times: seconds apiece on a loaded CI machine.
describe('the cs CLI against the CloudStack simulator', { timeout: 60_000 }, () => {
  let sim: RunningSimulator;
  let cs: readonly string[];
  let seeded: string[];

  beforeAll(async () => {
    cs = await csCommand();
    sim = await startCloudStack({ bootDelayMs: 50, haltDelayMs: 50 });
    seeded = seedCatalogVms(sim, 'cli').map((vm) => vm.id);
  }, APT_INSTALL_TIMEOUT_MS + 30_000);
  afterAll(() => sim?.close());

  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv =>
    loopbackClientEnv(
      {
        CLOUDSTACK_ENDPOINT: `${sim.url}${CLOUDSTACK_API_PATH}`,
        CLOUDSTACK_KEY: sim.credentials.key,
        CLOUDSTACK_SECRET: sim.credentials.secret,
        CLOUDSTACK_POLL_INTERVAL: '0.05',
        ...extra,
      },
      /^cloudstack_/i,
    );
  const invoke = async (args: readonly string[], extra?: Record<string, string>) => {
    const [command, ...base] = cs as [string, ...string[]];
    return run(command, [...base, ...args], { env: env(extra), timeout: 60_000 });
  };
  const listedIds = (stdout: string): string[] =>
    (JSON.parse(stdout) as { virtualmachine?: { id: string }[] }).virtualmachine?.map((vm) => vm.id) ?? [];

  it('lists the seeded VMs by GET, signing with signatureVersion 3 and an expiry', async () => {
    const { stdout } = await invoke(['listVirtualMachines']);
    const listed = JSON.parse(stdout) as { count: number };
    expect(listed.count).toBe(3);
    expect(listedIds(stdout)).toEqual(seeded);
  });

  it('lists them by POST and without an expiry too', async () => {
    expect(listedIds((await invoke(['--post', 'listVirtualMachines'])).stdout)).toEqual(seeded);
    expect(
      listedIds((await invoke(['listVirtualMachines'], { CLOUDSTACK_EXPIRATION: '-1' })).stdout),
    ).toEqual(seeded);
    expect(listedIds((await invoke(['listVirtualMachines', 'page=2', 'pagesize=2'])).stdout)).toEqual(
      seeded.slice(2),
    );
  });

  it('deploys a VM and waits for its job, reading the job result', async () => {
    const { stdout } = await invoke([
      '--post',
      'deployVirtualMachine',
      `zoneid=${CLOUDSTACK_ZONES[0]?.id}`,
      `templateid=${CLOUDSTACK_TEMPLATES[0]?.id}`,
      `serviceofferingid=${CLOUDSTACK_OFFERINGS[0]?.id}`,
      'name=from-cli',
    ]);
    const result = JSON.parse(stdout) as { virtualmachine: { name: string; state: string } };
    expect(result.virtualmachine).toMatchObject({ name: 'from-cli', state: 'Running' });
  });

  it('reports our 401 for a wrong secret', async () => {
    // `python3 -m cs` exits 0 even on errors (only the `cs` script passes main()'s result on), so
    // the outcome is read from what it prints.
    const failure = (await invoke(['listZones'], { CLOUDSTACK_SECRET: 'not-the-secret' }).catch(
      (error: unknown) => error,
    )) as { stdout: string; stderr: string };
    expect(failure.stderr).toContain('HTTP 401 response from CloudStack');
    expect(JSON.parse(failure.stdout)).toEqual({
      listzonesresponse: {
        uuidList: [],
        errorcode: 401,
        errortext: 'unable to verify user credentials and/or request signature',
      },
    });
  });
});
