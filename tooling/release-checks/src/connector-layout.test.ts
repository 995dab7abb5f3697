import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkConnectorLayout,
  connectorFacts,
  connectorFolders,
  GUIDELINES_PATH,
  readLayoutRules,
} from './connector-layout.js';
import { formatFailures } from './failure.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const rules = readLayoutRules(await readFile(join(root, GUIDELINES_PATH), 'utf8'));
const temporary: string[] = [];
afterAll(async () => {
  for (const dir of temporary) await rm(dir, { recursive: true, force: true });
});

describe('the connector guidelines', () => {
  it('state the MUST files of each kind in their table', () => {
    const must = (kind: 'remote' | 'in-process' | 'specialisation') =>
      rules
        .filter((rule) => rule.level === 'MUST' && rule.kinds.has(kind) && !rule.whenSshKeys)
        .map((r) => r.file);
    expect(must('remote')).toEqual([
      'index.ts',
      'connector.ts',
      'parameters.ts',
      'states.ts',
      'session.ts',
      'vm.ts',
      'catalog.ts',
      'context.ts',
      'signing.ts',
      'client.ts',
      'wire.ts',
      'errors.ts',
      'launch.ts',
      'lifecycle.ts',
      'waits.ts',
    ]);
    expect(must('in-process')).toEqual([
      'index.ts',
      'connector.ts',
      'parameters.ts',
      'states.ts',
      'session.ts',
      'vm.ts',
      'catalog.ts',
      'cloud.ts',
    ]);
    expect(must('specialisation')).toEqual(['index.ts', 'connector.ts', 'parameters.ts']);
    expect(rules.find((rule) => rule.file === 'keypairs.ts')).toMatchObject({
      level: 'MUST',
      whenSshKeys: true,
    });
  });
});

describe("this repository's connectors", () => {
  it('tells the kinds apart as the guidelines define them', async () => {
    expect(await connectorFacts(join(root, 'packages/connector-local'))).toMatchObject({
      kind: 'in-process',
    });
    expect(await connectorFacts(join(root, 'packages/connector-otc'))).toMatchObject({
      kind: 'specialisation',
    });
    expect(await connectorFacts(join(root, 'packages/connector-cloudstack'))).toEqual({
      kind: 'remote',
      sshKeys: true,
    });
  });

  it('each have the files the guidelines say they must', async () => {
    const folders = await connectorFolders(root);
    expect(folders).toEqual(
      expect.arrayContaining(['connector-cloudstack', 'connector-local', 'connector-otc']),
    );
    expect(folders).not.toContain('connector-core');
    const failures = (
      await Promise.all(
        folders.map((folder) =>
          checkConnectorLayout(join(root, 'packages', folder), `packages/${folder}`, rules),
        ),
      )
    ).flat();
    expect(failures, formatFailures(failures)).toEqual([]);
  });

  it('names each missing file, with the fix', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'layout-'));
    temporary.push(dir);
    await mkdir(join(dir, 'src'));
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'slipstream-connector-acme' }));
    for (const file of [
      'index.ts',
      'connector.ts',
      'parameters.ts',
      'states.ts',
      'session.ts',
      'catalog.ts',
    ]) {
      await writeFile(
        join(dir, 'src', file),
        file === 'connector.ts' ? 'const c = { sshKeys: true };\n' : '\n',
      );
    }
    const failures = await checkConnectorLayout(dir, 'acme', rules);
    const missing = failures.map((failure) => /src\/(\S+),/.exec(failure.problem)?.[1]);
    expect(missing).toEqual([
      'vm.ts',
      'context.ts',
      'signing.ts',
      'client.ts',
      'wire.ts',
      'errors.ts',
      'launch.ts',
      'lifecycle.ts',
      'waits.ts',
      'keypairs.ts',
    ]);
    expect(failures[0]?.fix).toContain(GUIDELINES_PATH);
  });
});
