import { readFile } from 'node:fs/promises';
import { CONNECTOR_CATALOG } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import { LICENSE_TABLE } from './licenses.js';

/** The README's connector table and the license table, held to core's CONNECTOR_CATALOG. */

const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');

interface ReadmeRow {
  readonly cloud: string;
  readonly connector: string;
  readonly package: string;
  readonly license: string;
  readonly status: string;
}

/** The rows of the table under "## Connectors", links and code marks taken off. */
function readmeConnectorRows(markdown: string): ReadmeRow[] {
  const section = markdown.split(/^## Connectors$/m)[1]?.split(/^## /m)[0] ?? '';
  const plain = (cell: string) =>
    cell
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/`/g, '')
      .trim();
  return section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2)
    .map((line) => {
      const [cloud = '', connector = '', pkg = '', license = '', status = ''] = line
        .split('|')
        .slice(1, -1)
        .map(plain);
      return { cloud, connector, package: pkg, license, status };
    });
}

describe('the one connector table', () => {
  it("is what the README's Connectors table shows, row for row", () => {
    const expected = CONNECTOR_CATALOG.map((entry) => ({
      cloud: entry.cloud,
      connector: entry.connector,
      package: entry.package,
      license: entry.license === 'Apache-2.0' ? 'open-source (Apache-2.0)' : 'proprietary',
      status: entry.status,
    }));
    expect(
      readmeConnectorRows(readme),
      'make README.md agree with packages/connector-core/src/catalog.ts',
    ).toEqual(expected);
  });

  it('reads a changed README row as different', () => {
    const changed = readme.replace('| `exoscale`     |', '| `exoscales`    |');
    expect(changed).not.toBe(readme);
    expect(readmeConnectorRows(changed).map((row) => row.connector)).toContain('exoscales');
  });

  it('gives each connector package the license of its catalog entry', () => {
    for (const entry of CONNECTOR_CATALOG) expect(LICENSE_TABLE.get(entry.package)).toBe(entry.license);
  });

  it('links each available connector to its folder, and no planned one', () => {
    for (const entry of CONNECTOR_CATALOG) {
      const folder = `packages/${entry.package.replace('@slipstream/', '')}`;
      expect(readme.includes(`](${folder})`), entry.connector).toBe(entry.status === 'available');
    }
  });
});
