import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Failure } from './failure.js';

/**
 * Resolution modes the packages do not support: they are ESM only, so `require` (node16 from CJS)
 * and pre-exports resolution (node10) are out of scope. These are what attw's `--profile esm-only`
 * ignores.
 */
export const IGNORED_RESOLUTIONS: readonly string[] = ['node10', 'node16-cjs'];

export interface AttwProblem {
  readonly kind: string;
  readonly entrypoint?: string;
  readonly resolutionKind?: string;
  readonly fileName?: string;
}

/** The part of attw's analysis the check reads (`types` is false for an untyped package). */
export interface AttwAnalysis {
  readonly types: unknown;
  readonly problems?: readonly AttwProblem[];
}

interface AttwCore {
  createPackageFromTarballData(data: Uint8Array): unknown;
  checkPackage(pkg: unknown): Promise<AttwAnalysis>;
}

let core: Promise<AttwCore> | undefined;

/**
 * attw's engine, `@arethetypeswrong/core`, loaded once: the CLI starts TypeScript anew for each
 * package (about 2 s each), the engine checks a package in a fraction of that. It is the CLI's own
 * dependency (the root installs the CLI), so it is resolved from the CLI's real location.
 */
export function loadAttw(): Promise<AttwCore> {
  core ??= (async () => {
    const require = createRequire(import.meta.url);
    const cli = realpathSync(require.resolve('@arethetypeswrong/cli/package.json'));
    const entry = createRequire(cli).resolve('@arethetypeswrong/core');
    return (await import(pathToFileURL(entry).href)) as AttwCore;
  })();
  return core;
}

/** Are the Types Wrong on a packed tarball, with the esm-only profile. */
export async function checkTypes(name: string, tarball: Uint8Array): Promise<Failure[]> {
  const attw = await loadAttw();
  // A local tarball is checked on its own: no DefinitelyTyped lookup, so no network.
  const analysis = await attw.checkPackage(attw.createPackageFromTarballData(new Uint8Array(tarball)));
  return attwFailures(name, analysis);
}

/** The failures in an attw analysis (exported for tests). */
export function attwFailures(name: string, analysis: AttwAnalysis): Failure[] {
  if (analysis.types === false) {
    return [
      {
        package: name,
        check: 'attw',
        problem: 'the package ships no types.',
        fix: 'emit declarations (tsup `dts: true`) and point "exports" → "types" at them.',
      },
    ];
  }
  return (analysis.problems ?? [])
    .filter(
      (problem) =>
        problem.resolutionKind === undefined || !IGNORED_RESOLUTIONS.includes(problem.resolutionKind),
    )
    .map((problem) => ({
      package: name,
      check: 'attw',
      problem: `${problem.kind} for entry point "${problem.entrypoint ?? '(any)'}"${
        problem.resolutionKind === undefined ? '' : ` under ${problem.resolutionKind} resolution`
      }${problem.fileName === undefined ? '' : ` (${problem.fileName})`}.`,
      fix: `see https://github.com/arethetypeswrong/arethetypeswrong.github.io/blob/main/docs/problems/${problem.kind}.md, fix the "exports" map or the declarations, and check again with "pnpm pack" then "pnpm exec attw <tarball> --profile esm-only".`,
    }));
}
