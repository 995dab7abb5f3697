import type { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { reachableUrls, startupBanner } from './banner.js';
import type { RunningServer } from './start.js';

type Interfaces = ReturnType<typeof networkInterfaces>;

const INTERFACES: Interfaces = {
  lo: [
    { address: '127.0.0.1', family: 'IPv4', internal: true, netmask: '255.0.0.0', mac: '', cidr: null },
    { address: '::1', family: 'IPv6', internal: true, netmask: '', mac: '', cidr: null, scopeid: 0 },
  ],
  eth0: [
    { address: '192.0.2.10', family: 'IPv4', internal: false, netmask: '255.255.255.0', mac: '', cidr: null },
  ],
};

function running(
  url: string,
  extra: Partial<RunningServer> = {},
): Pick<RunningServer, 'booted' | 'url' | 'generatedAdminPassword'> {
  const booted = {
    registry: { instances: [{ name: 'local' }] },
    problems: [],
    warnings: [],
    firstStart: true,
  } as unknown as RunningServer['booted'];
  return { booted, url, ...extra };
}

describe('reachableUrls', () => {
  it('lists the addresses a browser can open for a server on every address, external first', () => {
    expect(reachableUrls('http://0.0.0.0:8080', INTERFACES)).toEqual([
      'http://192.0.2.10:8080',
      'http://127.0.0.1:8080',
    ]);
    expect(reachableUrls('http://[::]:8080', INTERFACES)).toHaveLength(2);
  });

  it('is empty for a server bound to one address: its URL is the one to open', () => {
    expect(reachableUrls('http://127.0.0.1:8080', INTERFACES)).toEqual([]);
  });
});

describe('startupBanner', () => {
  it('never tells a browser to open 0.0.0.0', () => {
    const text = startupBanner(
      running('http://0.0.0.0:8080', { generatedAdminPassword: 'p4ss-w0rd' }),
      INTERFACES,
    );
    expect(text).toContain(
      'SlipStream server listening on http://0.0.0.0:8080 (every address of this machine)',
    );
    expect(text).toContain('open it at http://192.0.2.10:8080 or http://127.0.0.1:8080');
    expect(text).toContain('log in at http://192.0.2.10:8080/login as "admin"');
    expect(text).not.toMatch(/0\.0\.0\.0:8080\/login/);
    expect(text).toContain('slipstream admin reset-password');
  });

  it('shows the first-start variables that are not used', () => {
    const server = running('http://127.0.0.1:8080');
    const booted = {
      ...server.booted,
      firstStart: false,
      warnings: ['SLIPSTREAM_CONNECTORS is read only at the first start'],
    };
    const text = startupBanner({ ...server, booted: booted as RunningServer['booted'] }, INTERFACES);
    expect(text).toContain('  warning: SLIPSTREAM_CONNECTORS is read only at the first start');
    expect(text).toContain('Log in at http://127.0.0.1:8080/login');
  });
});
