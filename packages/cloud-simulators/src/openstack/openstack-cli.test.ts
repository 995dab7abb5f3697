import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APT_INSTALL_TIMEOUT_MS, ensureDebianClient } from '../testing/apt.js';
import { OPENSTACK_IMAGES } from './catalog.js';
import { type RunningOpenStack, startOpenStack } from './index.js';

/**
 * Fidelity check with a client we did not write: Debian's `openstack` command
 * (python3-openstackclient 6.0, Zed), which discovers the Keystone version at OS_AUTH_URL,
 * authenticates with a project-scoped password token, finds Nova, Glance and Neutron in the
 * catalog, runs keystoneauth's version discovery on them (the Glance root's 300, the Nova v2.1
 * document and its microversion range) and reads our answers through novaclient and
 * openstacksdk.
 */

const run = promisify(execFile);
const COMMAND_TIMEOUT_MS = 120_000;

async function hasOpenStackClient(): Promise<boolean> {
  try {
    const { stdout, stderr } = await run('openstack', ['--version'], { timeout: 60_000 });
    return /openstack/i.test(`${stdout}${stderr}`);
  } catch {
    return false;
  }
}

/** Installs python3-openstackclient when `openstack` is missing. */
function ensureOpenStackClient(): Promise<void> {
  return ensureDebianClient({ packageName: 'python3-openstackclient', isInstalled: hasOpenStackClient });
}

describe('the openstack CLI against the OpenStack simulator', () => {
  let sim: RunningOpenStack;
  let seeded: string[];

  beforeAll(async () => {
    await ensureOpenStackClient();
    sim = await startOpenStack({ bootDelayMs: 50, haltDelayMs: 50 });
    const account = sim.control.cloud.accountByKey(sim.credentials.key);
    if (!account) throw new Error('the simulator has no account for its own credentials');
    seeded = sim.control.cloud
      .seedVms(account.id, 3, {
        zone: 'nova',
        image: OPENSTACK_IMAGES[0]?.id ?? '',
        size: '2',
        namePrefix: 'cli',
      })
      .map((vm) => vm.id);
  }, APT_INSTALL_TIMEOUT_MS + 30_000);
  afterAll(() => sim?.close());

  const env = (): NodeJS.ProcessEnv => {
    // Nothing from the caller's environment may point the client elsewhere (clouds.yaml, proxies).
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(
        ([name]) => !/^(os_.*|https?_proxy|all_proxy|no_proxy)$/i.test(name),
      ),
    );
    return {
      ...clean,
      NO_PROXY: '127.0.0.1,localhost',
      OS_AUTH_TYPE: 'password',
      OS_AUTH_URL: sim.authUrl,
      OS_IDENTITY_API_VERSION: '3',
      OS_USERNAME: sim.user.username,
      OS_PASSWORD: sim.user.password,
      OS_PROJECT_NAME: sim.user.project,
      OS_USER_DOMAIN_NAME: sim.user.domain,
      OS_PROJECT_DOMAIN_NAME: sim.user.domain,
      OS_REGION_NAME: sim.region,
      OS_INTERFACE: 'public',
    };
  };
  // biome-ignore lint/suspicious/noExplicitAny: the CLI prints whatever JSON it builds.
  const openstack = async (...args: string[]): Promise<any> => {
    const { stdout } = await run('openstack', [...args, '-f', 'json'], {
      env: env(),
      timeout: COMMAND_TIMEOUT_MS,
    });
    return JSON.parse(stdout);
  };

  it(
    'lists the seeded servers with their status, network, image and flavor',
    async () => {
      const servers = await openstack('server', 'list');
      expect(servers.map((server: { ID: string }) => server.ID)).toEqual([...seeded].reverse());
      expect(servers[0]).toEqual({
        ID: seeded[2],
        Name: 'cli-3',
        Status: 'ACTIVE',
        Networks: { private: [expect.stringMatching(/^10\.0\.0\.\d+$/)] },
        Image: 'cirros-0.6.2-x86_64-disk',
        Flavor: 'm1.small',
      });
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    'lists the flavors with their sizes',
    async () => {
      const flavors = await openstack('flavor', 'list');
      expect(flavors.map((flavor: { Name: string }) => flavor.Name)).toEqual([
        'm1.tiny',
        'm1.small',
        'm1.medium',
        'm1.large',
        'm1.nano',
        'm1.xlarge',
        'm1.micro',
      ]);
      expect(flavors[0]).toEqual({
        ID: '1',
        Name: 'm1.tiny',
        RAM: 512,
        Disk: 1,
        Ephemeral: 0,
        VCPUs: 1,
        'Is Public': true,
      });
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    'lists the images',
    async () => {
      const images = await openstack('image', 'list');
      expect(images).toHaveLength(OPENSTACK_IMAGES.length);
      expect(images).toContainEqual({
        ID: OPENSTACK_IMAGES[0]?.id,
        Name: 'cirros-0.6.2-x86_64-disk',
        Status: 'active',
      });
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    'creates a server on a named network, waits for it, and deletes it',
    async () => {
      const created = await openstack(
        'server',
        'create',
        '--flavor',
        'm1.tiny',
        '--image',
        'cirros-0.6.2-x86_64-disk',
        '--network',
        'private',
        '--wait',
        'from-cli',
      );
      expect(created).toMatchObject({ name: 'from-cli', status: 'ACTIVE', 'OS-EXT-STS:vm_state': 'active' });
      const { stdout } = await run('openstack', ['server', 'delete', '--wait', created.id], {
        env: env(),
        timeout: COMMAND_TIMEOUT_MS,
      });
      expect(stdout).toBe('');
      expect(
        sim.control.cloud.vm(sim.control.cloud.accountByKey(sim.credentials.key)?.id ?? '', created.id),
      ).toBeUndefined();
    },
    COMMAND_TIMEOUT_MS * 2,
  );
});
