import {
  classifyLicense,
  findPackage,
  formatProblems,
  type InstanceInfo,
  inspectConnectorList,
  type LoadProblem,
  loadConnectors,
  packageNamesFor,
} from '@slipstream/connector-core';
import { type Command, EXIT } from '../command.js';
import { defineCommand } from '../define.js';
import { painter, table, writeJson } from '../output.js';
import { resolveServerDir } from '../server-dir.js';

export const CHECK_HELP = `Usage: slipstream config check "<list>" [--server-dir DIR] [--json]

Checks a connector list ("cloudstack,cloud2:cloudstack,cloud9:openstack") the way the server loads
it at boot: its syntax, duplicate instance names, unknown connectors (a typo gets its correction,
another name the install command) and packages that are not installed or do not load. Instance parameters are set
on the server's configuration page; the ones still needed are named, but are not problems here.

Flags:
  --server-dir DIR  the server installation the list is resolved against (default: in a checkout
                    of this repository its packages/server; else where @slipstream/server resolves
                    from the current directory; else the current directory)
  --json            one JSON document: { "serverDir", "instances": [...], "problems": [...] }
  -h, --help        this help

Exit statuses: 0 the list is valid, 1 it has problems (all are listed), 2 bad usage.
`;

export interface CheckedInstance {
  readonly name: string;
  readonly connector: string;
  readonly package: string;
  readonly version: string;
  readonly license: string;
  readonly openSource: boolean;
  /** Parameters the instance still needs (set on the configuration page). */
  readonly parametersNeeded: readonly string[];
}

export const configCheck: Command = defineCommand({
  path: ['config', 'check'],
  summary: 'check a connector list against the installed connectors',
  help: CHECK_HELP,
  json: true,
  flags: { 'server-dir': { type: 'string' } },
  positionals: { min: 1, max: 1, name: 'the connector list, e.g. "cloudstack,cloud2:cloudstack"' },
  async run({ positionals, strings, json }, io) {
    const serverDir = await resolveServerDir(strings['server-dir'], io.cwd);
    const list = positionals[0] ?? '';
    const { instances, problems } = await check(list, serverDir);
    if (json) {
      writeJson(io, {
        serverDir,
        list,
        valid: problems.length === 0,
        instances,
        problems: problems.map(({ code, message, position, instance, connector }) => ({
          code,
          message,
          position,
          instance,
          connector,
        })),
      });
      return problems.length === 0 ? EXIT.OK : EXIT.PROBLEMS;
    }
    const paint = painter(io.stdout, io.env);
    if (problems.length > 0) {
      io.stdout.write(
        `${paint('red', `The connector list has ${problems.length} problem${problems.length === 1 ? '' : 's'}:`)}\n${formatProblems(problems)}\n`,
      );
      return EXIT.PROBLEMS;
    }
    if (instances.length === 0) {
      io.stdout.write('The connector list is empty: the server would load no instance.\n');
      return EXIT.OK;
    }
    const [header = '', ...lines] = table([
      ['INSTANCE', 'CONNECTOR', 'PACKAGE', 'VERSION', 'LICENSE'],
      ...instances.map((item) => [
        item.name,
        item.connector,
        item.package,
        item.version,
        `${item.license} (${item.openSource ? 'open source' : 'proprietary'})`,
      ]),
    ]).split('\n');
    const needs = instances
      .filter((item) => item.parametersNeeded.length > 0)
      .map((item) => `  ${item.name}: ${item.parametersNeeded.join(', ')}`);
    io.stdout.write(
      `${paint('green', `The connector list is valid (${instances.length} instance${instances.length === 1 ? '' : 's'}).`)}\n${paint('bold', header)}\n${lines.join('\n')}\n` +
        (needs.length > 0 ? `Parameters to set on the configuration page:\n${needs.join('\n')}\n` : ''),
    );
    return EXIT.OK;
  },
});

/**
 * Runs core's loader without parameters: it resolves and imports each connector exactly as a boot
 * would. Its problems that name a parameter key only say what the configuration page must fill
 * in, so they are kept apart from the list's problems.
 */
async function check(
  list: string,
  serverDir: string,
): Promise<{ instances: CheckedInstance[]; problems: LoadProblem[] }> {
  const registry = await loadConnectors(list, { from: serverDir });
  try {
    const loaded = new Map<string, InstanceInfo>(registry.instances.map((info) => [info.name, info]));
    const needs = new Map<string, string[]>();
    const problems: LoadProblem[] = [];
    for (const problem of registry.problems) {
      if (problem.key !== undefined && problem.instance !== undefined && problem.code === 'CONFIG_INVALID') {
        needs.set(problem.instance, [...(needs.get(problem.instance) ?? []), problem.key]);
      } else {
        problems.push(problem);
      }
    }
    const blocked = new Set(problems.map((problem) => problem.instance));
    const instances: CheckedInstance[] = [];
    for (const entry of inspectConnectorList(list).entries) {
      if (blocked.has(entry.instance)) continue;
      const info = loaded.get(entry.instance);
      if (info !== undefined) {
        instances.push({ ...pick(info), parametersNeeded: [] });
        continue;
      }
      const needed = needs.get(entry.instance);
      if (needed === undefined) continue;
      instances.push({
        ...(await packageFacts(entry.instance, entry.connector, serverDir)),
        parametersNeeded: needed,
      });
    }
    return { instances, problems };
  } finally {
    await registry.close();
  }
}

function pick(info: InstanceInfo): Omit<CheckedInstance, 'parametersNeeded'> {
  const { name, connector, package: pkg, version, license, openSource } = info;
  return { name, connector, package: pkg, version, license, openSource };
}

/** The loader resolved this package (only its parameters were missing): read the same facts it reads. */
async function packageFacts(
  name: string,
  connector: string,
  from: string,
): Promise<Omit<CheckedInstance, 'parametersNeeded'>> {
  const [scoped, unscoped] = packageNamesFor(connector);
  const pkg = (await findPackage(scoped, from)) ?? (await findPackage(unscoped, from));
  const { license, openSource } = classifyLicense(pkg?.manifest.license ?? pkg?.manifest.licenses);
  const version = typeof pkg?.manifest.version === 'string' ? pkg.manifest.version : '0.0.0';
  return { name, connector, package: pkg?.name ?? scoped, version, license, openSource };
}
