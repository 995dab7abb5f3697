import { describe, expect, it } from 'vitest';
import { isKeystoneUnavailable, KeystoneUnavailableError } from './errors.js';
import {
  cannotInstallReason,
  ensureKeystoneInstalled,
  type InstallHost,
  KEYSTONE_FILES,
  keystoneUnavailableReason,
  missingFiles,
} from './install.js';

function host(files: readonly string[], uid: number | undefined): InstallHost {
  return { exists: (path) => files.includes(path), uid };
}

const everything = [...Object.values(KEYSTONE_FILES), '/usr/bin/apt-get'];

describe('missingFiles and keystoneUnavailableReason', () => {
  it('finds nothing missing and no reason when the packages are installed, even without root', () => {
    expect(missingFiles(host(everything, 1000))).toEqual([]);
    expect(keystoneUnavailableReason(host(Object.values(KEYSTONE_FILES), 1000))).toBeUndefined();
  });

  it('names the missing files', () => {
    expect(missingFiles(host(['/usr/bin/keystone-manage', '/usr/bin/uwsgi'], 0))).toEqual([
      '/usr/bin/keystone-wsgi-public',
      '/usr/lib/uwsgi/plugins/python3_plugin.so',
    ]);
  });

  it('can install as root with apt-get', () => {
    expect(cannotInstallReason(host(['/usr/bin/apt-get'], 0))).toBeUndefined();
    expect(keystoneUnavailableReason(host(['/usr/bin/apt-get'], 0))).toBeUndefined();
  });

  it('explains why it cannot install: no apt-get, or not root', () => {
    expect(keystoneUnavailableReason(host([], 0))).toMatch(
      /^\/usr\/bin\/keystone-manage, .* missing; apt-get is not on this machine, so Debian's "keystone" package cannot be installed$/,
    );
    expect(keystoneUnavailableReason(host(['/usr/bin/apt-get'], 1000))).toMatch(
      /missing; installing Debian's "keystone" package needs root, and this process runs as uid 1000$/,
    );
  });
});

describe('ensureKeystoneInstalled', () => {
  it('returns at once when everything is present', async () => {
    await expect(ensureKeystoneInstalled({ host: host(everything, 1000) })).resolves.toBeUndefined();
  });

  it('throws the typed unavailable error when it may not or cannot install', async () => {
    const notRoot = await ensureKeystoneInstalled({ host: host(['/usr/bin/apt-get'], 1000) }).catch(
      (e: unknown) => e,
    );
    expect(notRoot).toBeInstanceOf(KeystoneUnavailableError);
    expect(isKeystoneUnavailable(notRoot)).toBe(true);
    expect((notRoot as KeystoneUnavailableError).reason).toMatch(/needs root/);
    expect((notRoot as Error).message).toMatch(/^Keystone is not available on this machine: .*needs root/);

    const turnedOff = await ensureKeystoneInstalled({
      host: host(['/usr/bin/apt-get'], 0),
      install: false,
    }).catch((e: unknown) => e);
    expect(isKeystoneUnavailable(turnedOff)).toBe(true);
    expect((turnedOff as Error).message).toMatch(/missing and installing was turned off/);
  });

  it('tells other errors apart from unavailability', () => {
    expect(isKeystoneUnavailable(new Error('boom'))).toBe(false);
    expect(isKeystoneUnavailable('unavailable')).toBe(false);
    expect(isKeystoneUnavailable(Object.assign(new Error('copy'), { kind: 'unavailable' }))).toBe(true);
  });
});
