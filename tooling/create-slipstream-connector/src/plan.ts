import { readFile } from 'node:fs/promises';
import { classifyLicense } from '@slipstream/connector-core';
import { isLicenseRef, type ResolvedLicense, spdxUrl } from './license.js';
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
    await licenseFile(options.license, values),
  ];
  for (const [path, template] of TEMPLATED) {
    files.push({ path, content: await renderTemplate(template, values) });
  }
  return files;
}

/**
 * The file the `license` field points at. Apache-2.0 gets its text, which this package ships; any
 * other SPDX expression a stub naming each license with its SPDX page, to replace with the texts
 * (which this package does not have); UNLICENSED an all-rights-reserved notice; a license file of
 * one's own the proprietary template, under the name `SEE LICENSE IN` gives.
 */
async function licenseFile(license: ResolvedLicense, values: Record<string, string>): Promise<PlannedFile> {
  if (license.kind === 'file') {
    return { path: license.file, content: await renderTemplate('LICENSE-proprietary.tmpl', values) };
  }
  if (license.kind === 'unlicensed') {
    return { path: 'LICENSE', content: await renderTemplate('LICENSE-unlicensed.tmpl', values) };
  }
  if (license.field === 'Apache-2.0')
    return { path: 'LICENSE', content: await readFile(APACHE_LICENSE_URL, 'utf8') };
  const entries = [
    ...license.licenses.map((id) =>
      isLicenseRef(id)
        ? `- ${id}: a license of your own, not on the SPDX list; its full text belongs in this file.`
        : `- ${id}: ${spdxUrl(id)}${id.endsWith('+') ? ' (this version or any later one)' : ''}`,
    ),
    ...license.exceptions.map((id) => `- ${id} (an exception to the license it follows): ${spdxUrl(id)}`),
  ];
  return {
    path: 'LICENSE',
    content: await renderTemplate('LICENSE-spdx.tmpl', {
      ...values,
      expression: license.field,
      licenseList: entries.join('\n'),
    }),
  };
}

/** The README's License section: the field, where the terms are, and how SlipStream lists it. */
function licenseText(license: ResolvedLicense): string {
  // Core's own reading of the field, the one the server and `slipstream connectors` show.
  const listed = classifyLicense(license.field).openSource
    ? 'SlipStream lists this connector as open source.'
    : 'SlipStream lists this connector as proprietary (only OSI-approved licenses count as open source).';
  if (license.kind === 'file') {
    return `Proprietary: \`"license": "${license.field}"\`; the terms are in [${license.file}](./${license.file}).\n${listed}`;
  }
  if (license.kind === 'unlicensed') {
    return `\`UNLICENSED\`: no license is granted; see [LICENSE](./LICENSE).\n${listed}`;
  }
  return `${license.field}; see [LICENSE](./LICENSE).\n${listed}`;
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
    licenseText: licenseText(options.license),
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
