import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The versions a generated package depends on. The toolchain is pinned here, to the ranges the
 * SlipStream repository builds with (versions.test.ts keeps the two in step). The @slipstream
 * packages are read from this package's own manifest: in the repository it says `workspace:^`
 * and the version is that of the workspace package; once published, pnpm has replaced it with
 * the released range, so a scaffolder always asks for the core it was released with.
 */

export const TOOLCHAIN: Readonly<Record<string, string>> = Object.freeze({
  '@types/node': '^20.19.0',
  tsup: '^8.5.1',
  typescript: '^5.9.3',
  vitest: '^3.2.7',
});

export const CORE_PACKAGE = '@slipstream/connector-core';
export const TESTKIT_PACKAGE = '@slipstream/connector-testkit';
/** The stand-in API of a generated package's tests is built on these simulators. */
export const SIMULATORS_PACKAGE = '@slipstream/cloud-simulators';

export interface SlipstreamVersions {
  /** The connector-core version, e.g. `1.0.0`. */
  readonly core: string;
  readonly testkit: string;
  readonly simulators: string;
}

const VERSION = /\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?/;

/** The core, testkit and simulators versions this scaffolder was built (or released) with. */
export function slipstreamVersions(
  manifestUrl: URL = new URL('../package.json', import.meta.url),
): SlipstreamVersions {
  const manifest = JSON.parse(readFileSync(manifestUrl, 'utf8')) as {
    devDependencies?: Record<string, string>;
    dependencies?: Record<string, string>;
  };
  const require = createRequire(manifestUrl);
  const versionOf = (name: string): string => {
    const spec = manifest.dependencies?.[name] ?? manifest.devDependencies?.[name];
    if (spec === undefined) {
      throw new Error(
        `${manifestUrl.pathname} does not list ${name}; the scaffolder cannot tell which version to use.`,
      );
    }
    if (spec.startsWith('workspace:')) {
      const installed = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as {
        version?: unknown;
      };
      if (typeof installed.version === 'string' && VERSION.test(installed.version)) return installed.version;
    }
    const version = VERSION.exec(spec)?.[0];
    if (version === undefined) {
      throw new Error(`${manifestUrl.pathname} gives ${name} as "${spec}", which names no version.`);
    }
    return version;
  };
  return {
    core: versionOf(CORE_PACKAGE),
    testkit: versionOf(TESTKIT_PACKAGE),
    simulators: versionOf(SIMULATORS_PACKAGE),
  };
}
