import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * Installs a Debian package for a test that drives a third-party client (python3-cs,
 * python3-openstackclient, awscli) when the client is missing: repairs a dpkg run that was
 * interrupted (`dpkg --configure -a`), then `apt-get install`, and when that fails `apt-get
 * update` and the install again. Waits for another apt run's lock rather than failing on it.
 * Test-only; not part of the package's entries.
 */

const run = promisify(execFile);

export const APT_INSTALL_TIMEOUT_MS = 15 * 60_000;

export interface DebianClient {
  /** The Debian package that provides the client. */
  readonly packageName: string;
  /** Whether the client runs: checked before installing and after. */
  readonly isInstalled: () => Promise<boolean>;
  /** What the error says to do when the install fails, e.g. "pip install cs". */
  readonly otherwise?: string | undefined;
}

/** Resolves once the client runs, installing its package when needed; rejects with what to do otherwise. */
export async function ensureDebianClient(client: DebianClient): Promise<void> {
  if (await client.isInstalled()) return;
  const options = {
    timeout: APT_INSTALL_TIMEOUT_MS,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  };
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  const install = [...lock, 'install', '-y', '--no-install-recommends', client.packageName];
  try {
    // A dpkg run killed half-way (a test timed out during an install) blocks every later install.
    await run('dpkg', ['--configure', '-a'], options).catch(() => undefined);
    try {
      await run('apt-get', install, options);
    } catch {
      await run('apt-get', [...lock, 'update'], options);
      await run('apt-get', install, options);
    }
  } catch (error) {
    const first = (error as Error).message.split('\n')[0];
    throw new Error(
      `${client.packageName} is not installed and "apt-get install -y --no-install-recommends ${client.packageName}" failed (${first}). Install ${client.packageName} (Debian/Ubuntu)${client.otherwise ? ` or ${client.otherwise}` : ''}, or run the tests as root on a machine with apt, then run them again.`,
    );
  }
  if (!(await client.isInstalled())) {
    throw new Error(
      `${client.packageName} was installed but its command does not run; check the installation.`,
    );
  }
}
