import { redactUrl } from '@slipstream/connector-core';
import { type Command, EXIT } from '../command.js';
import { defineCommand } from '../define.js';
import { painter, table, writeJson } from '../output.js';
import { resolveRegistry } from '../registry/resolve.js';
import { searchConnectors } from '../registry/search.js';

export const SEARCH_HELP = `Usage: slipstream connectors search [term] [--registry URL] [--json]

Finds connector packages in the npm registry: names @slipstream/connector-* and
slipstream-connector-*, and packages with the keyword slipstream-connector. With a term, only
packages whose name, connector name, description or keywords contain it.

Prints name, connector name, latest version, license (open-source or proprietary) and description.

Flags:
  --registry URL   the registry to ask (default: npm_config_registry, else \`npm config get registry\`,
                   else https://registry.npmjs.org/)
  --json           one JSON document: { "registry", "term", "connectors": [...] }
  -h, --help       this help

Exit statuses: 0 found or not, 2 bad usage, 3 the registry is unreachable, failed or answered garbage.
`;

export const connectorsSearch: Command = defineCommand({
  path: ['connectors', 'search'],
  summary: 'find connector packages in the npm registry',
  help: SEARCH_HELP,
  json: true,
  flags: { registry: { type: 'string' } },
  positionals: { min: 0, max: 1, name: 'a search term' },
  async run({ positionals, strings, json }, io) {
    const registry = await resolveRegistry(strings.registry, io);
    // A registry URL may carry credentials; they are never printed.
    const shown = redactUrl(registry);
    const term = positionals[0];
    const found = await searchConnectors(registry, { term, signal: io.signal });
    if (json) {
      writeJson(io, { registry: shown, term: term ?? null, connectors: found });
      return EXIT.OK;
    }
    const paint = painter(io.stdout, io.env);
    if (found.length === 0) {
      io.stdout.write(`No connector packages${term ? ` matching "${term}"` : ''} in ${shown}\n`);
      return EXIT.OK;
    }
    const rows = [
      ['PACKAGE', 'CONNECTOR', 'VERSION', 'LICENSE', 'DESCRIPTION'],
      ...found.map((item) => [
        item.name,
        item.connector ?? '-',
        item.version,
        `${item.license} (${item.openSource ? 'open source' : 'proprietary'})`,
        item.description,
      ]),
    ];
    const [header = '', ...lines] = table(rows).split('\n');
    io.stdout.write(`${paint('bold', header)}\n${lines.join('\n')}\n`);
    io.stdout.write(
      paint('dim', `${found.length} connector package${found.length === 1 ? '' : 's'} in ${shown}\n`),
    );
    return EXIT.OK;
  },
});
