/**
 * What is installed next to the server compared with what this boot loaded. Packages installed,
 * upgraded or removed after the boot take effect only at the next one, so the connectors page and
 * `GET /api/connectors` say per package whether a restart would change anything.
 */

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  inspectConnectorList,
  listInstalledConnectorPackages,
  toSearchDirectory,
} from '@slipstream/connector-core';
import type { BootedServer } from '../boot/boot.js';

/** A connector package found on disk now. */
export interface InstalledPackageVersion {
  readonly package: string;
  readonly connector: string;
  /** From its package.json; absent when that has none or cannot be read. */
  readonly version?: string | undefined;
}

/** A package the boot loaded an instance from. */
export interface LoadedPackage {
  readonly package: string;
  readonly connector: string;
  readonly version: string;
}

/**
 * - `loaded`: installed and loaded, same version.
 * - `not-listed`: installed, but no entry of the loaded connector list names it.
 * - `not-loaded`: installed and listed, but its instances did not load (see the problems).
 * - `version-differs`: another version is installed now; a restart loads it.
 * - `not-installed`: loaded, but no longer installed; the next boot will not find it.
 */
export type InstalledStatus = 'loaded' | 'not-listed' | 'not-loaded' | 'version-differs' | 'not-installed';

export const INSTALLED_STATUSES: readonly InstalledStatus[] = [
  'loaded',
  'not-listed',
  'not-loaded',
  'version-differs',
  'not-installed',
];

export interface InstalledComparison {
  readonly package: string;
  readonly connector: string;
  /** The version installed now. */
  readonly version?: string;
  /** The version this boot loaded. */
  readonly loadedVersion?: string;
  readonly status: InstalledStatus;
}

/**
 * One entry per package, installed or loaded, sorted by package name. `listed` holds the
 * connector names of the loaded list, to tell an unlisted package from one that failed to load.
 */
export function compareInstalledPackages(
  installed: readonly InstalledPackageVersion[],
  loaded: readonly LoadedPackage[],
  listed: ReadonlySet<string>,
): InstalledComparison[] {
  const loadedByPackage = new Map(loaded.map((item) => [item.package, item]));
  const entries: InstalledComparison[] = [];
  for (const item of installed) {
    const used = loadedByPackage.get(item.package);
    const version = item.version === undefined ? {} : { version: item.version };
    if (used === undefined) {
      entries.push({
        package: item.package,
        connector: item.connector,
        ...version,
        status: listed.has(item.connector) ? 'not-loaded' : 'not-listed',
      });
      continue;
    }
    entries.push({
      package: item.package,
      connector: item.connector,
      ...version,
      loadedVersion: used.version,
      status: item.version === used.version ? 'loaded' : 'version-differs',
    });
  }
  const installedNames = new Set(installed.map((item) => item.package));
  for (const item of loadedByPackage.values()) {
    if (installedNames.has(item.package)) continue;
    entries.push({
      package: item.package,
      connector: item.connector,
      loadedVersion: item.version,
      status: 'not-installed',
    });
  }
  return entries.sort((a, b) => a.package.localeCompare(b.package));
}

/** The comparison's status in words, as the connectors page shows it. */
export function installedStatusText(entry: InstalledComparison): string {
  switch (entry.status) {
    case 'loaded':
      return 'loaded';
    case 'not-listed':
      return 'installed, not in the connector list';
    case 'not-loaded':
      return 'installed, listed but not loaded: see the problems';
    case 'version-differs':
      return `installed version ${entry.version ?? 'unknown'} differs from loaded ${entry.loadedVersion ?? 'unknown'}: restart to use it`;
    case 'not-installed':
      return 'loaded but no longer installed';
  }
}

/** The connector packages visible from `from` now, each with its package.json version. */
export async function readInstalledPackages(from: string | URL): Promise<InstalledPackageVersion[]> {
  const found = listInstalledConnectorPackages(toSearchDirectory(from));
  return Promise.all(
    found.map(async (item) => ({
      package: item.package,
      connector: item.connector,
      version: await readVersion(join(item.dir, 'package.json')),
    })),
  );
}

async function readVersion(manifest: string): Promise<string | undefined> {
  try {
    const parsed = JSON.parse(await readFile(manifest, 'utf8')) as { version?: unknown };
    return typeof parsed.version === 'string' ? parsed.version : undefined;
  } catch {
    // A broken manifest is the loader's to report; here it only means "version unknown".
    return undefined;
  }
}

/** What is installed next to the server now against what `booted` loaded. */
export async function installedComparison(
  booted: Pick<BootedServer, 'loadedConnectors' | 'registry'>,
  from: string | URL,
): Promise<InstalledComparison[]> {
  const listed = new Set(
    inspectConnectorList(booted.loadedConnectors).entries.map((entry) => entry.connector),
  );
  return compareInstalledPackages(await readInstalledPackages(from), booted.registry.instances, listed);
}
