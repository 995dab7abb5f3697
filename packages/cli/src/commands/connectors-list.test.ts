import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openSqliteStore, STORE_FILE } from '@slipstream/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../command.js';
import { cli, json } from '../testing/io.js';

const SERVER_DIR = resolve(import.meta.dirname, '../..');

interface Row {
  package: string;
  connector: string;
  version: string;
  license: string;
  openSource: boolean;
  contract?: number;
  instances: string[] | null;
  problem?: string;
}

describe('slipstream connectors list', () => {
  let home: string;
  let empty: string;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'slipstream-home-'));
    const store = await openSqliteStore({ file: join(home, STORE_FILE) });
    await store.replaceConfiguration({
      basics: { connectors: 'cloudstack,cloud2:cloudstack,local', settings: {} },
      instances: {},
    });
    await store.close();
    empty = await mkdtemp(join(tmpdir(), 'slipstream-empty-'));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
    await rm(empty, { recursive: true, force: true });
  });

  it('lists installed connectors with version, license, contract and the instances using each', async () => {
    const run = await cli(['connectors', 'list', '--server-dir', SERVER_DIR, '--home', home, '--json']);
    expect(run.status).toBe(EXIT.OK);
    const body = json(run);
    expect(body.configuration).toEqual({ home, connectors: 'cloudstack,cloud2:cloudstack,local' });
    const rows = body.connectors as Row[];
    expect(rows.map((row) => row.connector)).toEqual([
      'aws',
      'cloudstack',
      'exoscale',
      'local',
      'nuvlabox',
      'opennebula',
      'openstack',
      'otc',
      'vcloud',
    ]);
    expect(rows.find((row) => row.connector === 'cloudstack')).toMatchObject({
      package: '@slipstream/connector-cloudstack',
      license: 'Apache-2.0',
      openSource: true,
      contract: 1,
      instances: ['cloudstack', 'cloud2'],
    });
    expect(rows.find((row) => row.connector === 'otc')).toMatchObject({ openSource: false, instances: [] });
  });

  it('prints a table and says when no configuration is found', async () => {
    const run = await cli(['connectors', 'list', '--server-dir', SERVER_DIR], {
      env: { SLIPSTREAM_HOME: join(empty, 'nothing') },
    });
    expect(run.status).toBe(EXIT.OK);
    expect(run.stdout).toMatch(
      /@slipstream\/connector-local\s+local\s+\S+\s+Apache-2\.0 \(open source\)\s+1\s+-/,
    );
    expect(run.stdout).toContain(`No configuration found in ${join(empty, 'nothing')}`);
    // The store was only looked for, never created.
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(empty, 'nothing'))).toBe(false);
  });

  it('says when nothing is installed', async () => {
    const run = await cli(['connectors', 'list', '--server-dir', empty, '--home', home]);
    expect(run.status).toBe(EXIT.OK);
    expect(run.stdout).toContain(`No connector packages are installed in ${empty}`);
    expect(run.stdout).toContain('Instances from the configuration');
  });

  it('shows a package whose definition cannot be imported', async () => {
    const pkg = join(empty, 'node_modules', '@slipstream', 'connector-bad');
    await mkdir(pkg, { recursive: true });
    await writeFile(
      join(pkg, 'package.json'),
      JSON.stringify({
        name: '@slipstream/connector-bad',
        version: '2.0.0',
        license: 'MIT',
        type: 'module',
        exports: './index.js',
      }),
    );
    await writeFile(join(pkg, 'index.js'), 'export default {};\n');
    const run = await cli(['connectors', 'list', '--server-dir', empty, '--json']);
    const [row] = json(run).connectors as Row[];
    expect(row).toMatchObject({
      package: '@slipstream/connector-bad',
      version: '2.0.0',
      license: 'MIT',
      problem: 'its default export declares no contract version',
    });
  });

  it('reports a store that is not a database', async () => {
    const broken = join(empty, 'broken-home');
    await mkdir(broken, { recursive: true });
    await writeFile(join(broken, STORE_FILE), 'this is not sqlite');
    const run = await cli(['connectors', 'list', '--server-dir', empty, '--home', broken]);
    expect(run.status).toBe(EXIT.EXTERNAL);
    expect(run.stderr).toContain(`The server's store ${join(broken, STORE_FILE)} could not be read`);
  });
});
