import { text } from 'node:stream/consumers';
import { formatProblems, type LoadProblem } from '@slipstream/connector-core';
import { changeStoredConfiguration, ServerError } from '@slipstream/server';
import { type Command, type CommandIo, EXIT } from '../command.js';
import { resolveHome } from '../configured.js';
import { defineCommand } from '../define.js';
import { CliError } from '../errors.js';
import { writeJson } from '../output.js';
import { resolveServerDir } from '../server-dir.js';

export const SET_HELP = `Usage: slipstream config set <name> <value> [<name> <value>...] [--home DIR]
                             [--server-dir DIR] [--allow-missing] [--json]

Changes the configuration stored in a server's home, without a running server: what the
configuration page changes, checked the same way (the whole result as the next start loads it;
nothing is written when it has a problem, and every problem is listed). Use it when the page is out
of reach: the server refuses to start (--strict), or before its first login. The running server
loads the change at its next start.

Names:
  connectors              the connector list: "cloudstack,cloud2:cloudstack,cloud9:openstack"
  <instance>.<parameter>  a parameter of a listed instance: cloud2.endpoint, cloud2.page.size;
                          read as the parameter's type (100, true); "" clears it. A value of "-"
                          is read from standard input, so a secret stays out of shell history.

Flags:
  --home DIR        the server's home (default: SLIPSTREAM_HOME, else ./.slipstream)
  --server-dir DIR  the server installation, whose connectors the change is checked against
                    (default: as for slipstream server)
  --allow-missing   store a list whose new instances still lack required parameters (named in
                    the output; those instances load once they are set)
  --json            one JSON document: { "home", "connectors", "missing": [...] }
  -h, --help        this help

Examples:
  slipstream config set connectors "cloudstack,cloud2:cloudstack" cloud2.endpoint https://cloud2.example.org/client/api
  printf %s "$PASSWORD" | slipstream config set lab.password -

Exit statuses: 0 stored, 1 the change has problems (nothing stored), 2 bad usage.
`;

export const configSet: Command = defineCommand({
  path: ['config', 'set'],
  summary: 'change the stored configuration without a running server',
  help: SET_HELP,
  json: true,
  flags: {
    home: { type: 'string' },
    'server-dir': { type: 'string' },
    'allow-missing': { type: 'boolean' },
  },
  positionals: { min: 2, max: Number.POSITIVE_INFINITY, name: 'a name and a value' },
  async run({ positionals, strings, booleans, json }, io) {
    const change = await parseChange(positionals, io);
    const home = resolveHome(strings.home, io.env, io.cwd);
    const from = await resolveServerDir(strings['server-dir'], io.cwd);
    let result: Awaited<ReturnType<typeof changeStoredConfiguration>>;
    try {
      result = await changeStoredConfiguration({
        home,
        env: io.env,
        from,
        ...change,
        allowMissing: booleans['allow-missing'],
      });
    } catch (error) {
      if (!ServerError.is(error)) throw error;
      const exit =
        error.code === 'CONFIG_INVALID' && error.problems.length > 0 ? EXIT.PROBLEMS : EXIT.EXTERNAL;
      throw new CliError(exit, error.code, error.message);
    }
    if (json) {
      writeJson(io, { home, connectors: result.connectors, missing: result.missing });
      return EXIT.OK;
    }
    io.stdout.write(`Stored in ${home}: connectors "${result.connectors}".\n`);
    if (result.missing.length > 0) io.stdout.write(missingText(result.missing));
    io.stdout.write('Restart the server to load it.\n');
    return EXIT.OK;
  },
});

interface Change {
  connectors?: string;
  values: Record<string, Record<string, string>>;
}

/** `connectors <list> lab.endpoint <url> ...` → the list and the values by instance. */
async function parseChange(words: readonly string[], io: CommandIo): Promise<Change> {
  if (words.length % 2 !== 0) {
    throw CliError.usage(
      `"${words.at(-1)}" has no value: give names and values in pairs (connectors "<list>", <instance>.<parameter> <value>).`,
    );
  }
  const change: Change = { values: {} };
  let stdinUsed = false;
  for (let i = 0; i < words.length; i += 2) {
    const name = words[i] ?? '';
    let value = words[i + 1] ?? '';
    if (value === '-') {
      if (stdinUsed || io.stdin === undefined) {
        throw CliError.usage(`${name}: only one value can be read from standard input ("-").`);
      }
      stdinUsed = true;
      // A trailing newline (echo, a here-string) is not part of the value.
      value = (await text(io.stdin)).replace(/\r?\n$/, '');
    }
    if (name === 'connectors') {
      change.connectors = value;
      continue;
    }
    const dot = name.indexOf('.');
    if (dot <= 0 || dot === name.length - 1) {
      throw CliError.usage(
        `"${name}" is not a name to set: use connectors, or <instance>.<parameter> such as cloud2.endpoint.`,
      );
    }
    const instance = name.slice(0, dot);
    change.values[instance] = { ...change.values[instance], [name.slice(dot + 1)]: value };
  }
  return change;
}

function missingText(missing: readonly LoadProblem[]): string {
  const lines = formatProblems(missing)
    .split('\n')
    .map((line) => `  ${line}`);
  return `Still to set before these instances load (slipstream config set <instance>.<parameter> <value>):\n${lines.join('\n')}\n`;
}
