import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../command.js';
import { cli, json } from '../testing/io.js';

// This package's own installation has every connector of the catalog installed; a known connector
// that is not installed is checked against an empty installation.
const SERVER_DIR = resolve(import.meta.dirname, '../..');

describe('slipstream config check', () => {
  it('prints each instance of a valid list with package, version and license', async () => {
    const run = await cli([
      'config',
      'check',
      'cloudstack,cloud2:cloudstack,cloud9:openstack',
      '--server-dir',
      SERVER_DIR,
    ]);
    expect(run.status).toBe(EXIT.OK);
    expect(run.stdout).toContain('The connector list is valid (3 instances).');
    expect(run.stdout).toMatch(
      /cloud2\s+cloudstack\s+@slipstream\/connector-cloudstack\s+\S+\s+Apache-2\.0 \(open source\)/,
    );
    expect(run.stdout).toMatch(/cloud9\s+openstack\s+@slipstream\/connector-openstack/);
    // Parameters are the configuration page's business, named but not problems.
    expect(run.stdout).toContain('Parameters to set on the configuration page:');
  });

  it('gives the instances as JSON', async () => {
    const run = await cli(['config', 'check', 'local,lab:exoscale', '--server-dir', SERVER_DIR, '--json']);
    expect(run.status).toBe(EXIT.OK);
    const body = json(run);
    expect(body).toMatchObject({ valid: true, problems: [], serverDir: SERVER_DIR });
    expect(body.instances).toEqual([
      expect.objectContaining({
        name: 'local',
        connector: 'local',
        package: '@slipstream/connector-local',
        openSource: true,
      }),
      expect.objectContaining({
        name: 'lab',
        connector: 'exoscale',
        package: '@slipstream/connector-exoscale',
        license: 'SEE LICENSE IN LICENSE',
        openSource: false,
      }),
    ]);
  });

  it('lists every problem of a malformed list with EXIT.PROBLEMS', async () => {
    const run = await cli(['config', 'check', 'local,,a:b:c,Bad Name', '--server-dir', SERVER_DIR]);
    expect(run.status).toBe(EXIT.PROBLEMS);
    expect(run.stdout).toContain('The connector list has 3 problems:');
    expect(run.stdout).toContain('Entry 2 (""): is empty; remove the extra comma.');
    expect(run.stdout).toContain('has more than one colon');
    expect(run.stdout).toContain('connector name "Bad Name" is not valid');
  });

  it('suggests a name for a typo, without an install command for a package named after the typo', async () => {
    const run = await cli(['config', 'check', 'cloudstak', '--server-dir', SERVER_DIR, '--json']);
    expect(run.status).toBe(EXIT.PROBLEMS);
    const [problem] = json(run).problems as { code: string; message: string }[];
    expect(problem?.code).toBe('CONNECTOR_UNKNOWN');
    expect(problem?.message).toContain('did you mean "cloudstack"?');
    expect(problem?.message).not.toContain('slipstream-connector-cloudstak');
  });

  it('gives the install command for an unknown name that is no typo', async () => {
    const run = await cli(['config', 'check', 'acme-cloud', '--server-dir', SERVER_DIR, '--json']);
    const [problem] = json(run).problems as { code: string; message: string }[];
    expect(problem?.message).toContain('slipstream-connector-acme-cloud');
  });

  it.each([
    ['cloudstack;cloud9:openstack', 'separate entries with commas: "cloudstack,cloud9:openstack"'],
    ['slipstream-connector-cloudstack', 'write "cloudstack", not "slipstream-connector-cloudstack"'],
    ['cloud2:@slipstream/connector-openstack', 'write "openstack", not "@slipstream/connector-openstack"'],
  ])('gives the real fix for %j instead of the kebab-case rule', async (list, fix) => {
    const run = await cli(['config', 'check', list, '--server-dir', SERVER_DIR]);
    expect(run.status).toBe(EXIT.PROBLEMS);
    expect(run.stdout).toContain(fix);
    expect(run.stdout).not.toContain('kebab-case');
    expect(run.stdout).not.toContain('slipstream-connector-slipstream-connector');
  });

  it('needs the list', async () => {
    const run = await cli(['config', 'check']);
    expect(run.status).toBe(EXIT.USAGE);
    expect(run.stderr).toContain('slipstream config check: missing the connector list, e.g.');
  });

  describe('against a broken installation', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'slipstream-check-'));
      const pkg = join(dir, 'node_modules', 'slipstream-connector-broken');
      await mkdir(pkg, { recursive: true });
      await writeFile(
        join(pkg, 'package.json'),
        JSON.stringify({
          name: 'slipstream-connector-broken',
          version: '1.0.0',
          type: 'module',
          main: 'index.js',
        }),
      );
      await writeFile(join(pkg, 'index.js'), "throw new Error('boom at import');\n");
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('says how to install a known connector that is not installed', async () => {
      const run = await cli(['config', 'check', 'vcloud', '--server-dir', dir]);
      expect(run.status).toBe(EXIT.PROBLEMS);
      expect(run.stdout).toContain('The connector list has 1 problem:');
      expect(run.stdout).toMatch(
        /is not installed: the VMware vCloud connector is the package @slipstream\/connector-vcloud\. Run `\w+ (add|install) @slipstream\/connector-vcloud`/,
      );
    });

    it('reports a connector whose import throws', async () => {
      const run = await cli(['config', 'check', 'broken', '--server-dir', dir]);
      expect(run.status).toBe(EXIT.PROBLEMS);
      expect(run.stdout).toContain('failed to import slipstream-connector-broken: boom at import');
    });

    it('reports a missing --server-dir as bad usage', async () => {
      const run = await cli(['config', 'check', 'local', '--server-dir', join(dir, 'missing')]);
      expect(run.status).toBe(EXIT.USAGE);
      expect(run.stderr).toContain('is not a directory');
    });
  });
});
