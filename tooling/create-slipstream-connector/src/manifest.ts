import { join } from 'node:path';
import { CHECKOUT_PACKAGES, type CheckoutPackage } from './checkout.js';
import type { ResolvedOptions } from './options.js';
import {
  CORE_PACKAGE,
  SIMULATORS_PACKAGE,
  type SlipstreamVersions,
  TESTKIT_PACKAGE,
  TOOLCHAIN,
} from './versions.js';

/** Root files npm packs whatever `files` says: README, and LICENSE or LICENCE with any extension. */
const ALWAYS_PACKED = /^licen[sc]e(?:\.[^.]+)?$/i;

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
  const { checkout } = options;
  // From a checkout, the peer range is that of the checkout's core, which the package is built
  // and tested against; the dev dependencies are the checkout's packages themselves.
  const coreRange = `^${checkout === undefined ? versions.core : checkout.versions[CORE_PACKAGE]}`;
  const fromCheckout = (name: CheckoutPackage): string | undefined =>
    checkout === undefined ? undefined : `file:${join(checkout.dir, CHECKOUT_PACKAGES[name])}`;
  return {
    name: options.packageName,
    version: '0.1.0',
    description: `${options.cloud} connector for SlipStream.`,
    keywords: ['slipstream', 'slipstream-connector', options.name, 'cloud', 'connector'],
    license: options.license.field,
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
    // Terms in a file npm would leave out (`SEE LICENSE IN TERMS.md`) are published with the code.
    files:
      options.license.kind === 'file' && !ALWAYS_PACKED.test(options.license.file)
        ? ['dist', options.license.file]
        : ['dist'],
    engines: { node: '>=20.18.1' },
    ...(options.scope === undefined ? {} : { publishConfig: { access: 'public' } }),
    scripts: {
      build: 'tsup',
      typecheck: 'tsc -p tsconfig.json',
      test: 'vitest run',
      // Whatever publishes the package (npm, pnpm, changesets) builds it first.
      prepack: 'tsup',
      // Packs the package and starts a scratch SlipStream server with it: scripts/try-in-server.mjs.
      'try-in-server': 'node scripts/try-in-server.mjs',
    },
    peerDependencies: { [CORE_PACKAGE]: coreRange },
    devDependencies: sortKeys({
      [CORE_PACKAGE]: fromCheckout(CORE_PACKAGE) ?? coreRange,
      [TESTKIT_PACKAGE]: fromCheckout(TESTKIT_PACKAGE) ?? `^${versions.testkit}`,
      [SIMULATORS_PACKAGE]: fromCheckout(SIMULATORS_PACKAGE) ?? `^${versions.simulators}`,
      ...TOOLCHAIN,
    }),
  };
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
