/**
 * The pages' script as browsers get it (served as /assets/slipstream.js): the TypeScript under
 * `browser/` bundled into one file. The package build writes the bundle to dist/pages/slipstream.js,
 * where the built server reads it. A run from the TypeScript source (vitest, a development run) has
 * no bundle next to it: it bundles the source in memory instead, so tests never run a stale build.
 */

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import {
  SCRIPT_BUNDLE,
  SCRIPT_ENTRY,
  SCRIPT_FORMAT,
  SCRIPT_TARGET,
  SCRIPT_TSCONFIG,
} from './script-bundle.js';

/** The part of esbuild's API used here (esbuild is not a dependency of this package: see bundleSource). */
interface Esbuild {
  buildSync(options: Readonly<Record<string, unknown>>): {
    readonly outputFiles?: readonly { readonly text: string }[];
  };
}

/** Running the TypeScript itself (vitest, tsx) rather than the bundle tsup built into `dist`. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

let script: string | undefined;

/** The script, read (or, from source, built) on first use and kept: a server start reads it once. */
export function pageScript(): string {
  script ??= FROM_SOURCE ? bundleSource() : readBundle();
  return script;
}

function readBundle(): string {
  // This module is bundled into dist/index.js and dist/cli.js, so the bundle's path is relative to them.
  const path = fileURLToPath(new URL(SCRIPT_BUNDLE, import.meta.url));
  if (!existsSync(path)) {
    throw new Error(`The pages' script ${path} is missing: build the package (pnpm build), which writes it.`);
  }
  return readFileSync(path, 'utf8');
}

function bundleSource(): string {
  const packageDir = new URL('../../', import.meta.url);
  // esbuild comes with tsup, the build tool (a development dependency of the workspace): only a
  // source run gets here, and that only happens where the workspace's development tools are.
  let esbuild: Esbuild;
  try {
    esbuild = createRequire(createRequire(import.meta.url).resolve('tsup'))('esbuild') as Esbuild;
  } catch (error) {
    throw new Error(
      `Running from source, the pages' script is bundled with tsup's esbuild, which is not installed here.`,
      {
        cause: error,
      },
    );
  }
  const result = esbuild.buildSync({
    entryPoints: [fileURLToPath(new URL(SCRIPT_ENTRY, packageDir))],
    tsconfig: fileURLToPath(new URL(SCRIPT_TSCONFIG, packageDir)),
    bundle: true,
    write: false,
    platform: 'browser',
    format: SCRIPT_FORMAT,
    target: SCRIPT_TARGET,
    logLevel: 'silent',
  });
  const text = result.outputFiles?.[0]?.text;
  if (text === undefined) throw new Error(`Bundling ${SCRIPT_ENTRY} produced no output.`);
  return text;
}
