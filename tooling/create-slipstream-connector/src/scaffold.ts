import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ScaffoldError } from './errors.js';
import { resolveOptions, type ScaffoldOptions } from './options.js';
import { planConnector } from './plan.js';
import { type SlipstreamVersions, slipstreamVersions } from './versions.js';

export interface ScaffoldResult {
  /** Absolute directory of the new package. */
  readonly dir: string;
  readonly packageName: string;
  readonly connector: string;
  readonly cloud: string;
  /** The package.json `license` field. */
  readonly license: string;
  /** Paths of the written files, relative to `dir`. */
  readonly files: readonly string[];
  /** Things the author should know (working inside the SlipStream repository). */
  readonly notes: readonly string[];
  /** The SlipStream checkout the @slipstream dev dependencies link to, or undefined for the registry. */
  readonly fromCheckout: string | undefined;
}

/**
 * Writes a new connector package. Every option is checked first and the whole package is rendered
 * in memory; only then is anything written, into a directory that does not exist or is empty. A
 * failure while writing removes what was written. Throws ScaffoldError.
 */
export async function scaffoldConnector(
  options: ScaffoldOptions,
  versions: SlipstreamVersions = slipstreamVersions(),
): Promise<ScaffoldResult> {
  const resolved = resolveOptions(options);
  const created = await checkTarget(resolved.dir);
  const files = await planConnector(resolved, versions);
  const written: string[] = [];
  try {
    for (const file of files) {
      const path = join(resolved.dir, file.path);
      await mkdir(dirname(path), { recursive: true });
      // `wx`: never overwrite, even a file that appeared since the target was checked.
      await writeFile(path, file.content, { flag: 'wx' });
      written.push(path);
    }
  } catch (error) {
    await undo(resolved.dir, created, written);
    throw new ScaffoldError(
      'WRITE_FAILED',
      `Could not write the package into ${resolved.dir}: ${(error as Error).message}. Nothing was left behind; fix the cause and run again.`,
      [],
      error,
    );
  }
  return {
    dir: resolved.dir,
    packageName: resolved.packageName,
    connector: resolved.name,
    cloud: resolved.cloud,
    license: resolved.license.field,
    files: files.map((file) => file.path),
    notes: resolved.notes,
    fromCheckout: resolved.checkout?.dir,
  };
}

/** Refuses a target that exists and is not an empty directory; says whether it must be created. */
async function checkTarget(dir: string): Promise<boolean> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(dir)).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw new ScaffoldError('WRITE_FAILED', `Cannot use ${dir}: ${(error as Error).message}.`, [], error);
  }
  if (!isDirectory) {
    throw new ScaffoldError(
      'TARGET_NOT_EMPTY',
      `${dir} exists and is not a directory. Choose another directory with --dir.`,
    );
  }
  const entries = await readdir(dir);
  if (entries.length > 0) {
    const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? ', …' : '');
    throw new ScaffoldError(
      'TARGET_NOT_EMPTY',
      `${dir} already exists and is not empty (${shown}); nothing was written. Choose another directory with --dir, or empty this one.`,
    );
  }
  return false;
}

/** Removes what a failed scaffold wrote: the whole directory if we created it, else our files. */
async function undo(dir: string, created: boolean, written: readonly string[]): Promise<void> {
  if (created) {
    await rm(dir, { recursive: true, force: true });
    return;
  }
  await Promise.allSettled(written.map((path) => rm(path, { force: true })));
  // Subdirectories we made (src/) are empty now; the target itself was there before and stays.
  await rm(join(dir, 'src'), { recursive: true, force: true }).catch(() => {});
}
