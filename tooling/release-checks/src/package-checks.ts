import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkTypes } from './attw-check.js';
import type { Failure } from './failure.js';
import { CORE_PACKAGE, type Core, checkPackedManifest, type PackedPackage } from './manifest-checks.js';
import { packPackage } from './pack.js';
import { checkPublint } from './publint-check.js';
import { mapConcurrently } from './run.js';
import { readTarball } from './tarball.js';
import { publishablePackages, type WorkspacePackage } from './workspace.js';

export interface PackageChecksResult {
  /** Every package checked, by name. */
  readonly packages: readonly string[];
  readonly failures: readonly Failure[];
}

export interface PackageChecksOptions {
  /** Packages packed and checked at once; packing and attw are separate processes. */
  readonly concurrency?: number;
}

/** Packs every publishable package of the workspace at `root` and checks each tarball. */
export async function checkPackages(
  root: string,
  options: PackageChecksOptions = {},
): Promise<PackageChecksResult> {
  const packages = await publishablePackages(root);
  const corePackage = packages.find((pkg) => pkg.name === CORE_PACKAGE);
  if (corePackage === undefined) {
    throw new Error(
      `${CORE_PACKAGE} is not a publishable package of ${root}; the peer-range check needs it.`,
    );
  }
  const core: Core = { name: corePackage.name, version: corePackage.version };
  const destination = await mkdtemp(join(tmpdir(), 'slipstream-release-checks-'));
  try {
    const results = await mapConcurrently(packages, options.concurrency ?? 6, (pkg) =>
      checkPackage(pkg, core, destination),
    );
    return { packages: packages.map((pkg) => pkg.name), failures: results.flat() };
  } finally {
    await rm(destination, { recursive: true, force: true });
  }
}

/** Packs one package and runs every check on its tarball. */
export async function checkPackage(
  pkg: WorkspacePackage,
  core: Core,
  destination: string,
): Promise<Failure[]> {
  let tarballPath: string;
  let packed: PackedPackage;
  let tarball: Buffer;
  try {
    tarballPath = await packPackage(pkg, destination);
    tarball = await readFile(tarballPath);
    const files = readTarball(tarball, tarballPath);
    const manifestText = files.get('package.json')?.toString('utf8');
    if (manifestText === undefined) throw new Error(`${tarballPath} has no package/package.json.`);
    const manifest = JSON.parse(manifestText) as Record<string, unknown>;
    packed = { name: pkg.name, dir: pkg.dir, files, manifestText, manifest };
  } catch (error) {
    return [
      {
        package: pkg.name,
        check: 'pack',
        problem: (error as Error).message,
        fix: `run pnpm pack in ${pkg.dir} and fix what it reports.`,
      },
    ];
  }
  const manifestFailures = checkPackedManifest(packed, core);
  // An unbuilt package fails publint and attw for the same reason; the build failure says it once.
  if (manifestFailures.some((failure) => failure.check === 'built')) return manifestFailures;
  const [publintFailures, typeFailures] = await Promise.all([
    checkPublint(pkg.name, tarball),
    checkTypes(pkg.name, tarball),
  ]);
  return [...manifestFailures, ...publintFailures, ...typeFailures];
}
