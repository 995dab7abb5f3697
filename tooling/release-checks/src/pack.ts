import { join } from 'node:path';
import { pnpmCommand, runCommand, tail } from './run.js';
import type { WorkspacePackage } from './workspace.js';

/**
 * Packs a package with pnpm into `destination` and returns the tarball's path. pnpm (not npm) packs
 * it because pnpm is what rewrites `workspace:` ranges into real ones, exactly as `changeset
 * publish` under pnpm does.
 */
export async function packPackage(pkg: WorkspacePackage, destination: string): Promise<string> {
  const pnpm = pnpmCommand();
  const args = [...pnpm.prefix, 'pack', '--pack-destination', destination, '--json'];
  const result = await runCommand(pnpm.command, args, { cwd: pkg.path, timeoutMs: 60_000 });
  if (result.status !== 0) {
    throw new Error(
      `pnpm pack failed in ${pkg.dir} (exit ${result.status ?? 'signal'}): ${tail(result.stderr || result.stdout)}`,
    );
  }
  try {
    const { filename } = JSON.parse(result.stdout) as { filename?: unknown };
    if (typeof filename === 'string') return filename;
  } catch {
    // Older output formats: fall through to npm's file naming.
  }
  return join(destination, `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}.tgz`);
}
