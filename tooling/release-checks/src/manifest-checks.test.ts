import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPackedManifest, isConnectorPackage, type PackedPackage } from './manifest-checks.js';

const APACHE = readFileSync(new URL('../../../LICENSE', import.meta.url), 'utf8');
const PROPRIETARY = readFileSync(
  new URL('../../../packages/connector-exoscale/LICENSE', import.meta.url),
  'utf8',
);
const core = { name: '@slipstream/connector-core', version: '1.0.0' };

function packed(
  name: string,
  manifest: Record<string, unknown>,
  files: Record<string, string> = { LICENSE: APACHE, 'dist/index.js': '' },
): PackedPackage {
  const full = { name, version: '0.1.0', files: ['dist'], ...manifest };
  const manifestText = JSON.stringify(full, null, 2);
  const map = new Map(
    Object.entries({ ...files, 'package.json': manifestText }).map(([k, v]) => [k, Buffer.from(v)]),
  );
  return { name, dir: `packages/${name.split('/').pop()}`, files: map, manifestText, manifest: full };
}

const connector = (manifest: Record<string, unknown>, files?: Record<string, string>): PackedPackage =>
  packed('@slipstream/connector-openstack', { license: 'Apache-2.0', ...manifest }, files);

const checks = (pkg: PackedPackage): string[] => checkPackedManifest(pkg, core).map((f) => f.check);

describe('checkPackedManifest', () => {
  it('passes an open-source connector with the Apache text and core as a peer in range', () => {
    expect(checkPackedManifest(connector({ peerDependencies: { [core.name]: '^1.0.0' } }), core)).toEqual([]);
  });

  it('passes a proprietary connector with SEE LICENSE IN LICENSE and proprietary terms', () => {
    const pkg = packed(
      '@slipstream/connector-exoscale',
      { license: 'SEE LICENSE IN LICENSE', peerDependencies: { [core.name]: '^1.0.0' } },
      { LICENSE: PROPRIETARY, 'dist/index.js': '' },
    );
    expect(checkPackedManifest(pkg, core)).toEqual([]);
  });

  it('refuses a proprietary connector labelled Apache-2.0, naming the package and the fix', () => {
    const pkg = packed(
      '@slipstream/connector-otc',
      { license: 'Apache-2.0', peerDependencies: { [core.name]: '^1.0.0' } },
      { LICENSE: PROPRIETARY, 'dist/index.js': '' },
    );
    const [failure, ...rest] = checkPackedManifest(pkg, core);
    expect(rest).toEqual([]);
    expect(failure).toMatchObject({ package: '@slipstream/connector-otc', check: 'license' });
    expect(failure?.problem).toContain('the license table says proprietary');
    expect(failure?.fix).toBe(
      'set "license": "SEE LICENSE IN LICENSE" in packages/connector-otc/package.json.',
    );
  });

  it('refuses a proprietary package whose LICENSE is the Apache text', () => {
    const pkg = packed(
      '@slipstream/connector-exoscale',
      { license: 'SEE LICENSE IN LICENSE', peerDependencies: { [core.name]: '^1.0.0' } },
      { LICENSE: APACHE, 'dist/index.js': '' },
    );
    expect(checks(pkg)).toEqual(['LICENSE file']);
  });

  it('refuses an Apache-2.0 package whose LICENSE is something else', () => {
    expect(
      checks(
        connector({ peerDependencies: { [core.name]: '^1' } }, { LICENSE: 'MIT License\n', 'dist/x.js': '' }),
      ),
    ).toEqual(['LICENSE file']);
  });

  it('refuses a missing license field and a missing LICENSE file', () => {
    const pkg = packed('@slipstream/server', {}, { 'dist/index.js': '' });
    const failures = checkPackedManifest(pkg, core);
    expect(failures.map((f) => f.check).sort()).toEqual(['LICENSE file', 'license']);
    expect(failures.find((f) => f.check === 'license')?.problem).toContain('"license" is missing');
  });

  it('refuses a package the license table does not know', () => {
    const failures = checkPackedManifest(
      packed('@slipstream/connector-new', { license: 'MIT', peerDependencies: { [core.name]: '^1' } }),
      core,
    );
    expect(failures).toHaveLength(1);
    expect(failures[0]?.fix).toContain('CONNECTOR_CATALOG in packages/connector-core/src/catalog.ts');
  });

  it('refuses a connector without core as a peer, or with core in dependencies', () => {
    expect(checks(connector({}))).toEqual(['core peer dependency']);
    const both = checkPackedManifest(
      connector({ dependencies: { [core.name]: '^1.0.0' }, peerDependencies: { [core.name]: '^1.0.0' } }),
      core,
    );
    expect(both.map((f) => f.problem)).toEqual([expect.stringContaining('is in "dependencies"')]);
  });

  it("refuses a peer range that does not contain core's workspace version", () => {
    const failures = checkPackedManifest(connector({ peerDependencies: { [core.name]: '^2.0.0' } }), core);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.problem).toContain('"^2.0.0" does not contain core\'s workspace version 1.0.0');
  });

  it('refuses a peer range open to the next major of core, however it is written', () => {
    for (const range of ['*', '>=0', '>=1.0.0', '^1.0.0 || ^2.0.0', '1.x || >=1.5.0', '']) {
      const failures = checkPackedManifest(connector({ peerDependencies: { [core.name]: range } }), core);
      expect(failures.map((f) => f.problem)).toEqual([
        `the peer range ${JSON.stringify(range)} also accepts core 2.0.0, a major version the package was never built against.`,
      ]);
    }
    for (const range of ['~1.0.0', '>=1.0.0 <2.0.0', '1.x', '^0.9.0 || ^1.0.0']) {
      expect(checkPackedManifest(connector({ peerDependencies: { [core.name]: range } }), core)).toEqual([]);
    }
  });

  it('refuses a peer range it cannot read, quoting it', () => {
    const failures = checkPackedManifest(connector({ peerDependencies: { [core.name]: 'latest' } }), core);
    expect(failures[0]?.problem).toContain('the peer range "latest" cannot be read');
  });

  it('checks the core range of non-connectors that declare it as a peer (the testkit)', () => {
    const testkit = packed('@slipstream/connector-testkit', {
      license: 'Apache-2.0',
      peerDependencies: { [core.name]: '^0.9.0' },
    });
    expect(checks(testkit)).toEqual(['core peer dependency']);
    expect(checks(packed('@slipstream/connector-testkit', { license: 'Apache-2.0' }))).toEqual([]);
  });

  it('refuses a workspace: range left in the packed manifest, quoting it', () => {
    const failures = checkPackedManifest(
      connector({ peerDependencies: { [core.name]: '^1.0.0' }, devDependencies: { x: 'workspace:*' } }),
      core,
    );
    expect(failures.map((f) => f.check)).toEqual(['no workspace: ranges']);
    expect(failures[0]?.problem).toContain('"x": "workspace:*"');
  });

  it('refuses a tarball without the dist its "files" publishes, saying to build first', () => {
    const failures = checkPackedManifest(
      connector({ peerDependencies: { [core.name]: '^1.0.0' } }, { LICENSE: APACHE, 'README.md': '' }),
      core,
    );
    expect(failures).toEqual([
      expect.objectContaining({
        check: 'built',
        fix: 'build it first: pnpm turbo run build --filter @slipstream/connector-openstack',
      }),
    ]);
  });
});

describe('isConnectorPackage', () => {
  it('knows connector packages by name, scoped or not, but not core or the testkit', () => {
    expect(isConnectorPackage('@slipstream/connector-otc')).toBe(true);
    expect(isConnectorPackage('slipstream-connector-acme')).toBe(true);
    expect(isConnectorPackage('@slipstream/connector-core')).toBe(false);
    expect(isConnectorPackage('@slipstream/connector-testkit')).toBe(false);
    expect(isConnectorPackage('@slipstream/server')).toBe(false);
  });
});
