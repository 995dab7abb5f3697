import { type Command, EXIT } from '../command.js';
import { readConfiguredOrFail, resolveHome } from '../configured.js';
import { defineCommand } from '../define.js';
import { listInstalledConnectors } from '../installed.js';
import { painter, table, writeJson } from '../output.js';
import { resolveServerDir } from '../server-dir.js';

export const LIST_HELP = `Usage: slipstream connectors list [--server-dir DIR] [--home DIR] [--json]

Lists the connector packages installed next to the server, with version, license, the connector
contract version they implement, and the configured instances that use each. Configured instances
whose connector no installed package implements are flagged: they do not load.

Flags:
  --server-dir DIR  the server installation (default: in a checkout of this repository its
                    packages/server; else where @slipstream/server resolves from the current
                    directory; else the current directory)
  --home DIR        the server's data directory, for the configured instances (default:
                    SLIPSTREAM_HOME, else ./.slipstream); only read; must exist when given
  --json            one JSON document: { "serverDir", "configuration", "connectors": [...],
                    "missing": [{ "connector", "instances" }] }
  -h, --help        this help

Exit statuses: 0 listed, 2 bad usage (a --home that does not exist), 3 the server's store could not
be read.
`;

export const connectorsList: Command = defineCommand({
  path: ['connectors', 'list'],
  summary: 'the connector packages installed next to the server',
  help: LIST_HELP,
  json: true,
  flags: { 'server-dir': { type: 'string' }, home: { type: 'string' } },
  async run({ strings, json }, io) {
    const serverDir = await resolveServerDir(strings['server-dir'], io.cwd);
    const home = resolveHome(strings.home, io.env, io.cwd);
    const [installed, configured] = await Promise.all([
      listInstalledConnectors(serverDir),
      readConfiguredOrFail(home),
    ]);
    const rows = installed.map((item) => ({
      ...item,
      instances: configured.found ? (configured.byConnector.get(item.connector) ?? []) : null,
    }));
    // Configured instances whose connector no installed package implements: they will not load.
    const installedConnectors = new Set(installed.map((item) => item.connector));
    const missing = [...configured.byConnector]
      .filter(([connector]) => !installedConnectors.has(connector))
      .map(([connector, instances]) => ({ connector, instances: [...instances] }));
    if (json) {
      writeJson(io, {
        serverDir,
        configuration: configured.found ? { home, connectors: configured.connectors } : null,
        connectors: rows,
        missing,
      });
      return EXIT.OK;
    }
    const paint = painter(io.stdout, io.env);
    const out: string[] = [];
    if (rows.length === 0) {
      out.push(
        `No connector packages are installed in ${serverDir}. Find some with "slipstream connectors search", add one with "slipstream connectors add <name>".`,
      );
    } else {
      const [header = '', ...lines] = table([
        ['PACKAGE', 'CONNECTOR', 'VERSION', 'LICENSE', 'CONTRACT', 'INSTANCES'],
        ...rows.map((row) => [
          row.package,
          row.connector,
          row.version,
          `${row.license} (${row.openSource ? 'open source' : 'proprietary'})`,
          row.contract === undefined ? '?' : String(row.contract),
          row.instances === null ? '-' : row.instances.length === 0 ? 'none' : row.instances.join(', '),
        ]),
      ]).split('\n');
      out.push(paint('bold', header), ...lines);
      for (const row of rows) {
        if (row.problem !== undefined) out.push(paint('yellow', `${row.package}: ${row.problem}`));
      }
    }
    for (const { connector, instances } of missing) {
      out.push(
        paint(
          'yellow',
          `Not installed: ${connector}, used by the configured instance${instances.length === 1 ? '' : 's'} ${instances.join(', ')}; ${instances.length === 1 ? 'it does' : 'they do'} not load. Install it with "slipstream connectors add ${connector}", or remove ${instances.length === 1 ? 'it' : 'them'} from the connector list.`,
        ),
      );
    }
    out.push(
      paint(
        'dim',
        configured.found
          ? `Instances from the configuration in ${home}: ${configured.connectors || '(empty list)'}`
          : `No configuration found in ${home} (give the server's data directory with --home or SLIPSTREAM_HOME).`,
      ),
    );
    io.stdout.write(`${out.join('\n')}\n`);
    return EXIT.OK;
  },
});
