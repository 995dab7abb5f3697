import type { ResolvedOptions } from './options.js';
import {
  CORE_PACKAGE,
  SIMULATORS_PACKAGE,
  type SlipstreamVersions,
  TESTKIT_PACKAGE,
  TOOLCHAIN,
} from './versions.js';

/** The `license` field for each choice: an SPDX id, or npm's pointer to a custom LICENSE file. */
export const LICENSE_FIELDS = Object.freeze({
  'apache-2.0': 'Apache-2.0',
  proprietary: 'SEE LICENSE IN LICENSE',
});

/**
 * The generated package.json, shaped like the SlipStream connector packages: ESM only, an exports
 * map with types first, only `dist` published (npm adds README and LICENSE itself), core as a peer
 * dependency (the server's copy is the one used) and as a dev dependency for building and testing;
 * the testkit and the simulators the stand-in API is built on are for the tests only.
 */
export function connectorManifest(
  options: ResolvedOptions,
  versions: SlipstreamVersions,
): Record<string, unknown> {
  const coreRange = `^${versions.core}`;
  return {
    name: options.packageName,
    version: '0.1.0',
    description: `${options.cloud} connector for SlipStream.`,
    keywords: ['slipstream', 'slipstream-connector', options.name, 'cloud', 'connector'],
    license: LICENSE_FIELDS[options.license],
    type: 'module',
    sideEffects: false,
    exports: {
      '.': {
        types: './dist/index.d.ts',
        import: './dist/index.js',
      },
      './package.json': './package.json',
    },
    main: './dist/index.js',
    types: './dist/index.d.ts',
    files: ['dist'],
    engines: { node: '>=20.18.1' },
    ...(options.scope === undefined ? {} : { publishConfig: { access: 'public' } }),
    scripts: {
      build: 'tsup',
      typecheck: 'tsc -p tsconfig.json',
      test: 'vitest run',
      // Whatever publishes the package (npm, pnpm, changesets) builds it first.
      prepack: 'tsup',
    },
    peerDependencies: { [CORE_PACKAGE]: coreRange },
    devDependencies: sortKeys({
      [CORE_PACKAGE]: coreRange,
      [TESTKIT_PACKAGE]: `^${versions.testkit}`,
      [SIMULATORS_PACKAGE]: `^${versions.simulators}`,
      ...TOOLCHAIN,
    }),
  };
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
