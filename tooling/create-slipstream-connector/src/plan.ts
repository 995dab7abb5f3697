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

/** Generated path ← template path, for the files that are templates filled with the options. */
const TEMPLATED: readonly (readonly [string, string])[] = [
  ['.gitignore', 'gitignore.tmpl'],
  ['README.md', 'README.md.tmpl'],
  ['tsconfig.json', 'tsconfig.json.tmpl'],
  ['tsup.config.ts', 'tsup.config.ts.tmpl'],
  ['src/index.ts', 'src/index.ts.tmpl'],
  ['src/parameters.ts', 'src/parameters.ts.tmpl'],
  ['src/states.ts', 'src/states.ts.tmpl'],
  ['src/session.ts', 'src/session.ts.tmpl'],
  ['src/stand-in-cloud.ts', 'src/stand-in-cloud.ts.tmpl'],
  ['src/conformance.test.ts', 'src/conformance.test.ts.tmpl'],
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
  const { name, packageName, cloud, scope } = options;
  const aliasNeeded = scope !== undefined && scope !== '@slipstream';
  return {
    name,
    cloud,
    package: packageName,
    year: String(options.year),
    listExample: `${name},${name}-2:${name}`,
    loaderNote: aliasNeeded
      ? `\nThe SlipStream loader looks for connector \`${name}\` as \`@slipstream/connector-${name}\` or \`slipstream-connector-${name}\`, so install this package under that alias:\n\n\`\`\`sh\nnpm install slipstream-connector-${name}@npm:${packageName}\n\`\`\`\n`
      : '',
    licenseText:
      options.license === 'apache-2.0'
        ? 'Apache-2.0; see [LICENSE](./LICENSE).'
        : 'Proprietary: `"license": "SEE LICENSE IN LICENSE"`; the terms are in [LICENSE](./LICENSE).\nSlipStream lists this connector as proprietary.',
  };
}
