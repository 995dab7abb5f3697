import { describe, expect, it } from 'vitest';
import { isPostgresUnavailable, PostgresUnavailableError } from './errors.js';
import {
  cannotInstallReason,
  ensurePostgresInstalled,
  findPostgres,
  type InstallHost,
  postgresUnavailableReason,
} from './install.js';

function host(files: readonly string[], uid: number | undefined): InstallHost {
  return {
    exists: (path) => files.includes(path),
    list: (dir) => [
      ...new Set(
        files
          .filter((file) => file.startsWith(`${dir}/`))
          .map((file) => file.slice(dir.length + 1).split('/')[0] ?? ''),
      ),
    ],
    uid,
  };
}

const server = (major: number): string[] => [
  `/usr/lib/postgresql/${major}/bin/initdb`,
  `/usr/lib/postgresql/${major}/bin/postgres`,
];

describe('findPostgres and postgresUnavailableReason', () => {
  it('finds the newest major version that has initdb and postgres', () => {
    expect(findPostgres(host([...server(15)], 1000))).toEqual({
      major: 15,
      bin: '/usr/lib/postgresql/15/bin',
    });
    expect(findPostgres(host([...server(9), ...server(15), ...server(16)], 0))?.major).toBe(16);
    // postgresql-client alone installs psql but no initdb.
    expect(findPostgres(host(['/usr/lib/postgresql/17/bin/psql', ...server(15)], 0))?.major).toBe(15);
    expect(findPostgres(host([], 0))).toBeUndefined();
  });

  it('gives no reason when the server is installed, even without root, or when root can install it', () => {
    expect(postgresUnavailableReason(host(server(15), 1000))).toBeUndefined();
    expect(cannotInstallReason(host(['/usr/bin/apt-get'], 0))).toBeUndefined();
    expect(postgresUnavailableReason(host(['/usr/bin/apt-get'], 0))).toBeUndefined();
  });

  it('explains why it cannot install: no apt-get, or not root', () => {
    expect(postgresUnavailableReason(host([], 0))).toBe(
      'no /usr/lib/postgresql/*/bin/initdb; apt-get is not on this machine, so Debian\'s "postgresql" package cannot be installed',
    );
    expect(postgresUnavailableReason(host(['/usr/bin/apt-get'], 1000))).toMatch(
      /needs root, and this process runs as uid 1000$/,
    );
  });
});

describe('ensurePostgresInstalled', () => {
  it('returns the install at once when it is there', async () => {
    await expect(ensurePostgresInstalled({ host: host(server(15), 1000) })).resolves.toEqual({
      major: 15,
      bin: '/usr/lib/postgresql/15/bin',
    });
  });

  it('throws the typed unavailable error when it may not or cannot install', async () => {
    const notRoot = await ensurePostgresInstalled({ host: host(['/usr/bin/apt-get'], 1000) }).catch(
      (e: unknown) => e,
    );
    expect(notRoot).toBeInstanceOf(PostgresUnavailableError);
    expect(isPostgresUnavailable(notRoot)).toBe(true);
    expect((notRoot as Error).message).toMatch(/^PostgreSQL is not available on this machine: .*needs root/);

    const turnedOff = await ensurePostgresInstalled({
      install: false,
      host: host(['/usr/bin/apt-get'], 0),
    }).catch((e: unknown) => e);
    expect(isPostgresUnavailable(turnedOff)).toBe(true);
    expect((turnedOff as PostgresUnavailableError).reason).toMatch(/installing was turned off/);
  });

  it('does not mistake another error, or the Keystone harness error, for unavailability', () => {
    expect(isPostgresUnavailable(new Error('boom'))).toBe(false);
    expect(isPostgresUnavailable(Object.assign(new Error('keystone'), { kind: 'unavailable' }))).toBe(false);
  });
});
