import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RegistryLookup, resolveAddTargets, resolveRemovePackages } from './package-names.js';

// One connector the catalog plans but does not publish yet, beside the real catalog.
vi.mock('@slipstream/connector-core', async (original) => {
  const core = await original<typeof import('@slipstream/connector-core')>();
  return {
    ...core,
    CONNECTOR_CATALOG: [
      ...core.CONNECTOR_CATALOG,
      {
        connector: 'azure',
        cloud: 'Microsoft Azure',
        package: '@slipstream/connector-azure',
        license: 'proprietary',
        status: 'planned',
      },
    ],
  };
});

describe('connector names for add and remove', () => {
  let empty: string;
  const asked: string[] = [];
  const lookup: RegistryLookup = async (connector) => {
    asked.push(connector);
    return connector === 'my-cloud'
      ? [
          { name: 'my-cloud-tools', connector: null },
          { name: 'slipstream-connector-my-cloud', connector: 'my-cloud' },
        ]
      : [];
  };
  beforeAll(async () => {
    empty = await mkdtemp(join(tmpdir(), 'slipstream-names-'));
  });
  afterAll(() => rm(empty, { recursive: true, force: true }));

  it('maps catalog connector names to packages and keeps package names', async () => {
    const targets = await resolveAddTargets(
      ['cloudstack', 'slipstream-connector-x@1.2.0', '@slipstream/connector-aws', 'cloudstack'],
      empty,
      empty,
      lookup,
    );
    expect(targets.map((target) => [target.spec, target.connector])).toEqual([
      ['@slipstream/connector-cloudstack', 'cloudstack'],
      ['slipstream-connector-x@1.2.0', 'x'],
      ['@slipstream/connector-aws', 'aws'],
    ]);
  });

  it('takes a typo for a typo: a suggestion, no package named after it, no registry lookup', async () => {
    asked.length = 0;
    const error = await resolveAddTargets(['cloudstak'], empty, empty, lookup).catch((e: Error) => e);
    expect((error as Error).message).toContain('did you mean "cloudstack"?');
    expect((error as Error).message).not.toContain('slipstream-connector-cloudstak');
    expect(asked).toEqual([]);
    expect(() => resolveRemovePackages(['opnestack'], empty)).toThrow(/did you mean "openstack"\?/);
  });

  it('never doubles the package prefix', async () => {
    for (const name of ['slipstream-connector-core', 'slipstream-connector-Foo']) {
      const error = await resolveAddTargets([name], empty, empty, lookup).catch((e: Error) => e);
      expect((error as Error).message).not.toContain('slipstream-connector-slipstream-connector');
    }
    expect(() => resolveRemovePackages(['slipstream-connector-nope-nope'], empty)).not.toThrow();
    expect(resolveRemovePackages(['slipstream-connector-nope-nope'], empty)).toEqual([
      'slipstream-connector-nope-nope',
    ]);
  });

  it('refuses a planned connector without an install command', async () => {
    const error = await resolveAddTargets(['azure'], empty, empty, lookup).catch((e: Error) => e);
    expect((error as Error).message).toContain('is planned but not published yet');
    expect(asked).not.toContain('azure');
  });

  it('resolves a third-party connector name to the package the registry lists for it', async () => {
    const [target] = await resolveAddTargets(['my-cloud'], empty, empty, lookup);
    expect(target).toEqual({
      spec: 'slipstream-connector-my-cloud',
      package: 'slipstream-connector-my-cloud',
      connector: 'my-cloud',
    });
    const none = await resolveAddTargets(['nimbus-x'], empty, empty, lookup).catch((e: Error) => e);
    expect((none as Error).message).toContain('neither the catalog nor the registry has a connector package');
  });

  it('reads the package name of a local directory or file: spec before installing', async () => {
    const dir = join(empty, 'build');
    await mkdir(dir);
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'slipstream-connector-local-build' }));
    for (const given of ['./build', `file:${dir}`, 'file:./build']) {
      expect(await resolveAddTargets([given], empty, empty, lookup)).toEqual([
        { spec: `file:${dir}`, package: 'slipstream-connector-local-build', connector: 'local-build' },
      ]);
    }
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'left-pad' }));
    const error = await resolveAddTargets(['./build'], empty, empty, lookup).catch((e: Error) => e);
    expect((error as Error).message).toContain(
      'holds the package "left-pad", which is not a connector package',
    );
    const missing = await resolveAddTargets(['./nope.tgz'], empty, empty, lookup).catch((e: Error) => e);
    expect((missing as Error).message).toContain(`${join(empty, 'nope.tgz')} does not exist`);
  });
});
