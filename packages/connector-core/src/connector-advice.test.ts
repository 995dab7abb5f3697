import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CatalogEntry, CONNECTOR_CATALOG } from './catalog.js';
import { unresolvedConnector } from './connector-advice.js';

describe('advice for a connector that is not installed', () => {
  let empty: string;
  beforeAll(async () => {
    empty = await mkdtemp(join(tmpdir(), 'slipstream-advice-'));
  });
  afterAll(() => rm(empty, { recursive: true, force: true }));

  it('corrects a typo without offering to install a package named after it', () => {
    const { code, message } = unresolvedConnector('cloudstak', empty);
    expect(code).toBe('CONNECTOR_UNKNOWN');
    expect(message).toContain('did you mean "cloudstack"?');
    expect(message).not.toContain('slipstream-connector-cloudstak');
    expect(message).not.toMatch(/npm install|pnpm add|yarn add/);
  });

  it('gives the install command for a name that is no typo of a known connector', () => {
    expect(unresolvedConnector('acme-cloud', empty).message).toContain(
      '`npm install slipstream-connector-acme-cloud`',
    );
  });

  it('gives no install command for a connector the catalog lists as planned', () => {
    const catalog: CatalogEntry[] = [
      ...CONNECTOR_CATALOG,
      {
        connector: 'azure',
        cloud: 'Microsoft Azure',
        package: '@slipstream/connector-azure',
        license: 'proprietary',
        status: 'planned',
      },
    ];
    const { code, message } = unresolvedConnector('azure', empty, catalog);
    expect(code).toBe('CONNECTOR_NOT_INSTALLED');
    expect(message).toContain('is planned but not published yet');
    expect(message).not.toMatch(/npm install|pnpm add|yarn add/);
    // An available one still gets its command.
    expect(unresolvedConnector('aws', empty, catalog).message).toContain(
      '`npm install @slipstream/connector-aws`',
    );
  });
});
