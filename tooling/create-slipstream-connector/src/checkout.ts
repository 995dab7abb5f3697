import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A SlipStream checkout a generated package takes its @slipstream packages from, as `file:`
 * dependencies: the way to work while those packages are not published (or to try unreleased
 * changes of core). The connector's development needs core, the testkit and the cloud simulators;
 * its `try-in-server` script also installs the server and the command from the same checkout.
 */
export const CHECKOUT_PACKAGES = Object.freeze({
  '@slipstream/connector-core': 'packages/connector-core',
  '@slipstream/connector-testkit': 'packages/connector-testkit',
  '@slipstream/cloud-simulators': 'packages/cloud-simulators',
  '@slipstream/server': 'packages/server',
  '@slipstream/cli': 'packages/cli',
});

export type CheckoutPackage = keyof typeof CHECKOUT_PACKAGES;

/** A checked checkout: its absolute directory and the version of each package in it. */
export interface Checkout {
  readonly dir: string;
  readonly versions: Readonly<Record<CheckoutPackage, string>>;
}

/**
 * Checks that `dir` (absolute) is a SlipStream checkout whose packages are built, pushing one
 * problem per missing or unbuilt package, each saying what to run. Returns undefined on problems.
 */
export function inspectCheckout(dir: string, problems: string[]): Checkout | undefined {
  if (!existsSync(join(dir, 'pnpm-workspace.yaml')) && !existsSync(join(dir, 'packages'))) {
    problems.push(
      `--from-checkout ${dir} is not a SlipStream checkout (no pnpm-workspace.yaml or packages/): give the directory you cloned the SlipStream repository into.`,
    );
    return undefined;
  }
  const versions: Partial<Record<CheckoutPackage, string>> = {};
  const unbuilt: string[] = [];
  for (const [name, path] of Object.entries(CHECKOUT_PACKAGES) as [CheckoutPackage, string][]) {
    const manifestPath = join(dir, path, 'package.json');
    let manifest: { name?: unknown; version?: unknown };
    try {
      manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as typeof manifest;
    } catch {
      problems.push(
        `--from-checkout ${dir} has no readable ${path}/package.json for ${name}: give the root of an up-to-date SlipStream checkout.`,
      );
      continue;
    }
    if (manifest.name !== name || typeof manifest.version !== 'string') {
      problems.push(
        `--from-checkout ${dir}: ${path}/package.json is not ${name} (it names ${JSON.stringify(manifest.name)}); give the root of a SlipStream checkout.`,
      );
      continue;
    }
    versions[name] = manifest.version;
    // The generated package links these directories as they are: they must hold their build.
    if (!existsSync(join(dir, path, 'dist', 'index.js'))) unbuilt.push(path);
  }
  if (unbuilt.length > 0) {
    problems.push(
      `--from-checkout ${dir}: ${unbuilt.join(', ')} ${unbuilt.length === 1 ? 'is' : 'are'} not built (no dist/index.js); run \`pnpm install && pnpm build\` in ${dir} first.`,
    );
  }
  if (Object.keys(versions).length !== Object.keys(CHECKOUT_PACKAGES).length || unbuilt.length > 0) {
    return undefined;
  }
  return { dir, versions: versions as Record<CheckoutPackage, string> };
}

/**
 * The checkout this scaffolder runs from, when it runs from one (its own manifest still says
 * `workspace:`, which publishing replaces), so that the advice for unpublished packages can name
 * it; undefined for a scaffolder installed from the registry or a checkout that is not built.
 */
export function ownCheckout(
  manifestUrl: URL = new URL('../package.json', import.meta.url),
): string | undefined {
  let manifest: { devDependencies?: Record<string, string> };
  try {
    manifest = JSON.parse(readFileSync(manifestUrl, 'utf8')) as typeof manifest;
  } catch {
    return undefined;
  }
  const fromWorkspace = Object.values(manifest.devDependencies ?? {}).some((spec) =>
    spec.startsWith('workspace:'),
  );
  if (!fromWorkspace) return undefined;
  // tooling/create-slipstream-connector/package.json → the checkout's root.
  const root = fileURLToPath(new URL('../../', manifestUrl)).replace(/[\\/]$/, '');
  return inspectCheckout(root, [])?.dir;
}
