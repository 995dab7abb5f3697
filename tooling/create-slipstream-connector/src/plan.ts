import { readFile } from 'node:fs/promises';
import { connectorManifest } from './manifest.js';
import type { ResolvedOptions } from './options.js';
import { renderTemplate } from './render.js';
import type { SlipstreamVersions } from './versions.js';

/** One file of the generated package: its path relative to the package and its content. */
export interface PlannedFile {
  readonly path: string;
  readonly content: string;
}

/**
 * Generated path ← template path, for the files that are templates filled with the options. The
 * `src/` files are the rooms docs/connector-guidelines.md names for a remote-API connector, and
 * nothing else: scaffold.test.ts holds this list to the guidelines' table.
 */
const TEMPLATED: readonly (readonly [string, string])[] = [
  ['.gitignore', 'gitignore.tmpl'],
  ['README.md', 'README.md.tmpl'],
  ['tsconfig.json', 'tsconfig.json.tmpl'],
  ['tsup.config.ts', 'tsup.config.ts.tmpl'],
  ['scripts/try-in-server.mjs', 'scripts/try-in-server.mjs.tmpl'],
  ...[
    'index.ts',
    'connector.ts',
    'parameters.ts',
    'states.ts',
    'session.ts',
    'vm.ts',
    'catalog.ts',
    'context.ts',
    'signing.ts',
    'client.ts',
    'wire.ts',
    'errors.ts',
    'launch.ts',
    'lifecycle.ts',
    'waits.ts',
    'testing/stand-in-api.ts',
    'testing/fixtures.ts',
    'conformance.test.ts',
    'faults.test.ts',
    'signing.test.ts',
  ].map((file): [string, string] => [`src/${file}`, `src/${file}.tmpl`]),
];

/** This package's own Apache-2.0 LICENSE: the same text every Apache-2.0 SlipStream package ships. */
const APACHE_LICENSE_URL = new URL('../LICENSE', import.meta.url);

/** Every file of the package, rendered in memory, so that nothing is written before all of it exists. */
export async function planConnector(
  options: ResolvedOptions,
  versions: SlipstreamVersions,
): Promise<PlannedFile[]> {
  const values = templateValues(options);
  const files: PlannedFile[] = [
    { path: 'package.json', content: `${JSON.stringify(connectorManifest(options, versions), null, 2)}\n` },
    {
      path: 'LICENSE',
      content:
        options.license === 'apache-2.0'
          ? await readFile(APACHE_LICENSE_URL, 'utf8')
          : await renderTemplate('LICENSE-proprietary.tmpl', values),
    },
  ];
  for (const [path, template] of TEMPLATED) {
    files.push({ path, content: await renderTemplate(template, values) });
  }
  return files;
}

function templateValues(options: ResolvedOptions): Record<string, string> {
  const { name, packageName, cloud, checkout } = options;
  return {
    name,
    cloud,
    Cloud: identifierOf(name),
    CLOUD: constantOf(name),
    package: packageName,
    year: String(options.year),
    listExample: `${name},${name}-2:${name}`,
    dependencySource:
      checkout === undefined
        ? [
            'Until the `@slipstream` packages are published on the npm registry, `npm install` here fails',
            'with `E404 Not Found - GET https://registry.npmjs.org/@slipstream%2fconnector-core`. Work from a',
            'SlipStream checkout instead (clone the repository, then `pnpm install && pnpm build` in it):',
            'scaffold the package again with `--from-checkout <checkout>`, or point the three `@slipstream`',
            'dev dependencies at it yourself, e.g. `"@slipstream/connector-core":',
            '"file:<checkout>/packages/connector-core"` (likewise `connector-testkit` and `cloud-simulators`).',
            '`npm run try-in-server -- --from-checkout <checkout>` then takes the server from it too.',
          ].join('\n')
        : [
            `The \`@slipstream\` dev dependencies point at the SlipStream checkout in \`${checkout.dir}\``,
            '(`file:` links to its built packages), and `npm run try-in-server` takes the server from it',
            'too: rebuild the checkout (`pnpm build`) to pick up its changes. Before publishing, replace the',
            `links with the released ranges (\`"^${checkout.versions['@slipstream/connector-core']}"\` for core, as in \`peerDependencies\`).`,
          ].join('\n'),
    licenseText:
      options.license === 'apache-2.0'
        ? 'Apache-2.0; see [LICENSE](./LICENSE).'
        : 'Proprietary: `"license": "SEE LICENSE IN LICENSE"`; the terms are in [LICENSE](./LICENSE).\nSlipStream lists this connector as proprietary.',
  };
}

/**
 * The `<Cloud>` of the guidelines' names (`AcmeCloudSession`): the name in PascalCase. A name may
 * start with a digit, an identifier may not, hence the `Cloud` prefix then.
 */
export function identifierOf(name: string): string {
  const pascal = name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return /^\d/.test(pascal) ? `Cloud${pascal}` : pascal;
}

/** The `<CLOUD>` of the guidelines' names (`ACME_CLOUD_PARAMETERS`), prefixed like identifierOf. */
export function constantOf(name: string): string {
  const upper = name.toUpperCase().replace(/-/g, '_');
  return /^\d/.test(upper) ? `CLOUD_${upper}` : upper;
}
