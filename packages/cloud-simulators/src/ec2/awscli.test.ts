import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APT_INSTALL_TIMEOUT_MS, ensureDebianClient } from '../testing/apt.js';
import { EC2_IMAGES } from './catalog.js';
import { type RunningEc2, startEc2 } from './index.js';

/**
 * Fidelity check with a client we did not write: Debian's `awscli` package (AWS CLI v2, on
 * botocore), which builds its own EC2 query requests, signs them with Signature Version 4, parses
 * our XML with the EC2 service model and maps our errors. Debian installs it as /usr/bin/aws; a
 * pip-installed `aws` earlier on the PATH is not the one this checks.
 */

const run = promisify(execFile);
const AWS = '/usr/bin/aws';
const COMMAND_TIMEOUT_MS = 120_000;
const AL2023 = EC2_IMAGES[0]?.id as string;

async function hasDebianAwsCli(): Promise<boolean> {
  try {
    const { stdout, stderr } = await run(AWS, ['--version'], {
      timeout: 60_000,
      env: { PATH: '/usr/bin:/bin' },
    });
    return /aws-cli\//.test(`${stdout}${stderr}`);
  } catch {
    return false;
  }
}

describe('the aws CLI against the EC2 simulator', { timeout: COMMAND_TIMEOUT_MS * 3 }, () => {
  let sim: RunningEc2;
  let home: string;
  let seeded: string[];

  beforeAll(async () => {
    await ensureDebianClient({
      packageName: 'awscli',
      otherwise: 'the AWS CLI at /usr/bin/aws',
      isInstalled: hasDebianAwsCli,
    });
    home = await mkdtemp(join(tmpdir(), 'slipstream-awscli-'));
    await writeFile(join(home, 'config'), '');
    await writeFile(join(home, 'credentials'), '');
    sim = await startEc2({ bootDelayMs: 50, haltDelayMs: 50 });
    const account = sim.control.cloud.accountByKey(sim.credentials.key);
    if (!account) throw new Error('the simulator has no account for its own credentials');
    seeded = sim.control.cloud
      .seedVms(account.id, 7, { zone: 'us-east-1a', image: AL2023, size: 't3.micro', namePrefix: 'cli' })
      .map((vm) => `i-${vm.id.replace(/-/g, '').slice(0, 17)}`);
  }, APT_INSTALL_TIMEOUT_MS + 30_000);
  afterAll(async () => {
    await sim?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  /** Only what the CLI needs: no profile, no instance metadata, no proxy, nothing but loopback. */
  const env = (secret = sim.credentials.secret): NodeJS.ProcessEnv => ({
    PATH: '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    AWS_ACCESS_KEY_ID: sim.credentials.key,
    AWS_SECRET_ACCESS_KEY: secret,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    NO_PROXY: '*',
  });

  async function aws(args: readonly string[], secret?: string): Promise<unknown> {
    const { stdout } = await run(
      AWS,
      ['ec2', ...args, '--endpoint-url', sim.url, '--region', 'us-east-1', '--output', 'json'],
      { env: env(secret), timeout: COMMAND_TIMEOUT_MS },
    );
    return stdout.trim() === '' ? undefined : JSON.parse(stdout);
  }

  it('describes the seeded instances, paginating with MaxResults and NextToken', async () => {
    sim.control.clearRequests();
    const described = (await aws(['describe-instances', '--page-size', '5'])) as {
      Reservations: Array<{ OwnerId: string; Instances: Array<Record<string, unknown>> }>;
    };
    const instances = described.Reservations.flatMap((reservation) => reservation.Instances);
    expect(instances.map((instance) => instance.InstanceId)).toEqual(seeded);
    // Seven instances in pages of five: the CLI followed the NextToken once.
    expect(sim.control.count('DescribeInstances')).toBe(2);
    expect(described.Reservations[0]?.OwnerId).toBe(sim.accountId);
    expect(instances[0]).toMatchObject({
      ImageId: AL2023,
      InstanceType: 't3.micro',
      State: { Code: 16, Name: 'running' },
      Placement: { AvailabilityZone: 'us-east-1a', Tenancy: 'default' },
      PrivateIpAddress: expect.stringMatching(/^10\./),
      PublicIpAddress: expect.stringMatching(/^198\./),
    });
  });

  it('describes images by owner', async () => {
    const images = (await aws(['describe-images', '--owners', 'amazon'])) as {
      Images: Array<{ ImageId: string; OwnerId: string; Public: boolean; Architecture: string }>;
    };
    expect(images.Images.map((image) => image.ImageId)).toEqual(
      EC2_IMAGES.filter((image) => image.featured).map((image) => image.id),
    );
    expect(images.Images[0]).toMatchObject({ OwnerId: '137112412989', Public: true, Architecture: 'x86_64' });
  });

  it('runs an instance with a client token and tags, sees it run, and terminates it', async () => {
    const launched = (await aws([
      'run-instances',
      '--image-id',
      AL2023,
      '--instance-type',
      't3.small',
      '--count',
      '1',
      '--client-token',
      'awscli-launch-1',
      '--tag-specifications',
      'ResourceType=instance,Tags=[{Key=Name,Value=from-awscli}]',
      '--user-data',
      'echo hello',
    ])) as { ReservationId: string; Instances: Array<{ InstanceId: string; State: { Name: string } }> };
    const id = launched.Instances[0]?.InstanceId as string;
    expect(id).toMatch(/^i-[0-9a-f]{17}$/);
    expect(launched.Instances[0]?.State.Name).toBe('pending');
    const account = sim.control.cloud.accountByKey(sim.credentials.key);
    const vm = sim.control.cloud
      .vms(account?.id as string)
      .find((candidate) => candidate.tags.Name === 'from-awscli');
    expect(Buffer.from(vm?.userData ?? '', 'base64').toString('utf8')).toBe('echo hello');

    await aws(['wait', 'instance-running', '--instance-ids', id]);
    const filtered = (await aws(['describe-instances', '--filters', 'Name=tag:Name,Values=from-awscli'])) as {
      Reservations: Array<{
        ReservationId: string;
        Instances: Array<{ InstanceId: string; State: { Name: string } }>;
      }>;
    };
    expect(filtered.Reservations).toHaveLength(1);
    expect(filtered.Reservations[0]?.ReservationId).toBe(launched.ReservationId);
    expect(filtered.Reservations[0]?.Instances[0]?.State.Name).toBe('running');

    const terminated = (await aws(['terminate-instances', '--instance-ids', id])) as {
      TerminatingInstances: Array<{
        InstanceId: string;
        CurrentState: { Code: number };
        PreviousState: { Code: number };
      }>;
    };
    expect(terminated.TerminatingInstances[0]).toEqual({
      InstanceId: id,
      CurrentState: { Code: 32, Name: 'shutting-down' },
      PreviousState: { Code: 16, Name: 'running' },
    });
    await aws(['wait', 'instance-terminated', '--instance-ids', id]);
  });

  it("reports the simulator's errors as EC2's", async () => {
    const notFound = await aws(['describe-instances', '--instance-ids', 'i-0123456789abcdef0']).catch(
      (error: { stderr: string }) => error.stderr,
    );
    expect(notFound).toContain('(InvalidInstanceID.NotFound) when calling the DescribeInstances operation');
    const refused = await aws(['describe-instances'], 'not-the-secret').catch(
      (error: { stderr: string }) => error.stderr,
    );
    expect(refused).toContain('(SignatureDoesNotMatch) when calling the DescribeInstances operation');
  });
});
