import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Failure } from './failure.js';

/**
 * The connector layout of docs/connector-guidelines.md, read from its table of files so that the
 * page is the one statement of it, and checked on a connector's `src/`.
 */

export type ConnectorKind = 'remote' | 'in-process' | 'specialisation';

export interface LayoutRule {
  /** Below `src/`: `client.ts`, or `testing/` for a folder. */
  readonly file: string;
  readonly level: 'MUST' | 'SHOULD';
  readonly kinds: ReadonlySet<ConnectorKind>;
  /** Only for connectors declaring `sshKeys: true`. */
  readonly whenSshKeys: boolean;
}

export const GUIDELINES_PATH = 'docs/connector-guidelines.md';

/**
 * The rules of the guidelines' table: the rows whose first cell is a backquoted file and whose
 * second says MUST or SHOULD and for which kinds ("all" is every kind but specialisations).
 */
export function readLayoutRules(markdown: string): LayoutRule[] {
  const rules: LayoutRule[] = [];
  for (const line of markdown.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const file = /^`([^`]+)`$/.exec(cells[1] ?? '')?.[1];
    const required = /^(MUST|SHOULD)(?: \(([^)]*)\))?$/.exec(cells[2] ?? '');
    if (file === undefined || required === null) continue;
    const scope = (required[2] ?? 'all').split(',').map((word) => word.trim());
    const kinds = new Set<ConnectorKind>();
    for (const word of scope) {
      if (word === 'all') for (const kind of ['remote', 'in-process'] as const) kinds.add(kind);
      if (word === 'remote') kinds.add('remote');
      if (word === 'in-process') kinds.add('in-process');
      if (word === 'specialisations') kinds.add('specialisation');
    }
    rules.push({
      file,
      level: required[1] as 'MUST' | 'SHOULD',
      kinds,
      whenSshKeys: scope.some((word) => word.includes('sshKeys')),
    });
  }
  return rules;
}

export interface ConnectorFacts {
  readonly kind: ConnectorKind;
  readonly sshKeys: boolean;
}

/**
 * What decides which rules apply, as the guidelines define it: depending on another connector
 * package makes a specialisation, a `src/cloud.ts` an in-process connector; `sshKeys: true` in
 * `connector.ts` asks for `keypairs.ts`.
 */
export async function connectorFacts(dir: string): Promise<ConnectorFacts> {
  const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
    name?: string;
    dependencies?: Record<string, string>;
  };
  const basedOn = Object.keys(manifest.dependencies ?? {}).filter(
    (name) => /^@slipstream\/connector-/.test(name) && !/-(core|testkit)$/.test(name),
  );
  const connector = join(dir, 'src', 'connector.ts');
  const sshKeys = existsSync(connector) && /\bsshKeys:\s*true\b/.test(await readFile(connector, 'utf8'));
  const kind: ConnectorKind =
    basedOn.length > 0
      ? 'specialisation'
      : existsSync(join(dir, 'src', 'cloud.ts'))
        ? 'in-process'
        : 'remote';
  return { kind, sshKeys };
}

/** The MUST files a connector lacks, one failure each, naming the guideline's line. */
export async function checkConnectorLayout(
  dir: string,
  label: string,
  rules: readonly LayoutRule[],
): Promise<Failure[]> {
  const facts = await connectorFacts(dir);
  const failures: Failure[] = [];
  for (const rule of rules) {
    if (rule.level !== 'MUST' || !rule.kinds.has(facts.kind)) continue;
    if (rule.whenSshKeys && !facts.sshKeys) continue;
    if (existsSync(join(dir, 'src', rule.file))) continue;
    failures.push({
      package: label,
      check: 'connector layout',
      problem: `a ${facts.kind} connector must have src/${rule.file}, and this one has none`,
      fix: `add src/${rule.file} (or rename the file that holds it) as ${GUIDELINES_PATH} says`,
    });
  }
  return failures;
}

/** The `packages/connector-*` folders that are connectors (core and the testkit are not). */
export async function connectorFolders(root: string): Promise<string[]> {
  const entries = await readdir(join(root, 'packages'), { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory() && /^connector-/.test(entry.name))
    .map((entry) => entry.name)
    .filter((name) => name !== 'connector-core' && name !== 'connector-testkit')
    .sort();
}
