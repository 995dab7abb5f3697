import { describe, expect, it } from 'vitest';
import {
  compareInstalledPackages,
  installedStatusText,
  readInstalledPackages,
} from './installed-packages.js';

const LOCAL = { package: '@slipstream/connector-local', connector: 'local' };
const CLOUDSTACK = { package: '@slipstream/connector-cloudstack', connector: 'cloudstack' };
const OPENSTACK = { package: '@slipstream/connector-openstack', connector: 'openstack' };
const EXOSCALE = { package: '@slipstream/connector-exoscale', connector: 'exoscale' };

describe('compareInstalledPackages', () => {
  it('marks each package loaded, unlisted, listed but not loaded, upgraded or removed', () => {
    const result = compareInstalledPackages(
      [
        { ...LOCAL, version: '1.0.0' },
        { ...CLOUDSTACK, version: '2.1.0' },
        { ...OPENSTACK, version: '0.3.0' },
        { package: 'slipstream-connector-acme', connector: 'acme' },
      ],
      [
        // Two instances of one package count once.
        { ...LOCAL, version: '1.0.0' },
        { ...LOCAL, version: '1.0.0' },
        { ...CLOUDSTACK, version: '2.0.0' },
        { ...EXOSCALE, version: '0.9.0' },
      ],
      new Set(['local', 'cloudstack', 'exoscale', 'acme']),
    );
    expect(result).toEqual([
      { ...CLOUDSTACK, version: '2.1.0', loadedVersion: '2.0.0', status: 'version-differs' },
      { ...EXOSCALE, loadedVersion: '0.9.0', status: 'not-installed' },
      { ...LOCAL, version: '1.0.0', loadedVersion: '1.0.0', status: 'loaded' },
      { ...OPENSTACK, version: '0.3.0', status: 'not-listed' },
      { package: 'slipstream-connector-acme', connector: 'acme', status: 'not-loaded' },
    ]);
  });

  it('an installed package without a readable version differs from the loaded one', () => {
    const [entry] = compareInstalledPackages([LOCAL], [{ ...LOCAL, version: '1.0.0' }], new Set(['local']));
    expect(entry?.status).toBe('version-differs');
    expect(entry && installedStatusText(entry)).toBe(
      'installed version unknown differs from loaded 1.0.0: restart to use it',
    );
  });

  it('is empty when nothing is installed or loaded', () => {
    expect(compareInstalledPackages([], [], new Set())).toEqual([]);
  });

  it('says each status in words', () => {
    const text = (status: Parameters<typeof installedStatusText>[0]['status']): string =>
      installedStatusText({ ...LOCAL, version: '1.1.0', loadedVersion: '1.0.0', status });
    expect(text('loaded')).toBe('loaded');
    expect(text('not-listed')).toBe('installed, not in the connector list');
    expect(text('version-differs')).toBe(
      'installed version 1.1.0 differs from loaded 1.0.0: restart to use it',
    );
    expect(text('not-installed')).toBe('loaded but no longer installed');
    expect(text('not-loaded')).toContain('not loaded');
  });
});

describe('readInstalledPackages', () => {
  it('finds the connector packages next to the server with their package.json versions', async () => {
    const found = await readInstalledPackages(new URL('../../', import.meta.url));
    const local = found.find((item) => item.package === '@slipstream/connector-local');
    expect(local).toEqual({ ...LOCAL, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(found.map((item) => item.package)).not.toContain('@slipstream/connector-core');
  });
});
