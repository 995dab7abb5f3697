import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { ownCheckout } from './checkout.js';
import { ScaffoldError } from './errors.js';
import { type ScaffoldResult, scaffoldConnector } from './scaffold.js';

/** Exit statuses, the same meanings as the `slipstream` command's. */
export const EXIT = {
  OK: 0,
  /** The target directory exists and is not empty: nothing was written. */
  REFUSED: 1,
  /** Bad usage: unknown flag, missing or invalid name, scope, license or cloud. Nothing was written. */
  USAGE: 2,
  /** Writing failed (permissions, disk); what had been written was removed. */
  FAILED: 3,
} as const;

export type ExitStatus = (typeof EXIT)[keyof typeof EXIT];

/** Where the command writes and what it resolves relative paths against. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly cwd: string;
}

const COMMAND = 'create-slipstream-connector';

export const HELP: string = `Usage: pnpm create slipstream-connector <name> [options]
       ${COMMAND} <name> [options]

Creates a SlipStream connector package for the connector <name> (lowercase kebab-case, e.g.
acme-cloud): package.json, tsconfig, tsup config, README, LICENSE, and src/ laid out as the
connector guidelines say (docs/connector-guidelines.md): a client over core's HTTP transport
speaking a toy JSON API, a stand-in of that API for the tests (src/testing/), and the conformance
and fault suites of @slipstream/connector-testkit. The package passes them as generated; then
make the client speak your cloud's API, where the TODO comments say.

Options:
  --dir <dir>          Where to create the package (default: ./slipstream-connector-<name>, or
                       ./connector-<name> with --scope). Must not exist, or be empty.
  --unscoped           Name the package slipstream-connector-<name> (the default), one of the two
                       names the SlipStream loader finds connector <name> by.
  --scope @slipstream  Name it @slipstream/connector-<name>, the other: for SlipStream's own
                       connectors only. Other scopes are refused: the loader would never find them.
  --from-checkout <dir>
                       Depend on the built @slipstream packages of the SlipStream checkout <dir>
                       (file: links) instead of the registry, while they are not published.
  --license <license>  An SPDX license expression: MIT, Apache-2.0 (the default), "MIT OR Apache-2.0"
                       (https://spdx.org/licenses/); Apache-2.0 gets its text in LICENSE, others a
                       LICENSE stub naming the license and linking its SPDX page. Or, for your own
                       terms: "SEE LICENSE IN <file>" (proprietary is SEE LICENSE IN LICENSE), which
                       writes a proprietary license to complete, or UNLICENSED (no license granted).
  --cloud <name>       The cloud's display name (default: from <name>, acme-cloud → "Acme Cloud").
  -h, --help           Show this help.

Exit statuses:
  0  the package was created
  1  the target directory exists and is not empty; nothing was written
  2  bad usage: unknown option, missing or invalid name, scope, license or cloud; nothing was written
  3  writing failed; what had been written was removed
`;

/** Runs the command on its arguments (without node and the script); resolves to the exit status. */
export async function runCli(args: readonly string[], io: CliIo): Promise<ExitStatus> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    return usage(io, (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT.OK;
  }
  if (positionals.length === 0)
    return usage(io, 'Give the connector name, e.g. `pnpm create slipstream-connector acme-cloud`.');
  if (positionals.length > 1) {
    return usage(io, `Give one connector name; got ${positionals.length}: ${positionals.join(' ')}.`);
  }
  if (values.scope !== undefined && values.unscoped) {
    return usage(io, '--scope and --unscoped contradict each other: give one of them.');
  }
  try {
    const result = await scaffoldConnector({
      name: positionals[0] ?? '',
      dir: values.dir,
      cwd: io.cwd,
      scope: values.scope,
      license: values.license,
      cloud: values.cloud,
      fromCheckout: values['from-checkout'],
    });
    io.stdout.write(summary(result, io.cwd));
    return EXIT.OK;
  } catch (error) {
    if (!(error instanceof ScaffoldError)) throw error;
    io.stderr.write(`${COMMAND}: ${error.message}\n`);
    if (error.code === 'INVALID_OPTIONS') {
      io.stderr.write(`Run \`${COMMAND} --help\` for the options.\n`);
      return EXIT.USAGE;
    }
    return error.code === 'TARGET_NOT_EMPTY' ? EXIT.REFUSED : EXIT.FAILED;
  }
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      dir: { type: 'string' },
      scope: { type: 'string' },
      unscoped: { type: 'boolean' },
      license: { type: 'string' },
      cloud: { type: 'string' },
      'from-checkout': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function usage(io: CliIo, message: string): ExitStatus {
  // node:util's messages name the option ("Unknown option '--foo'"); the hint says where the list is.
  io.stderr.write(`${COMMAND}: ${message}\nRun \`${COMMAND} --help\` for the usage.\n`);
  return EXIT.USAGE;
}

/**
 * What to do while the @slipstream packages are not on the registry, where `npm install` fails
 * with E404: nothing when the package already links a checkout; otherwise the --from-checkout
 * remedy, naming the checkout this scaffolder runs from when it runs from one.
 */
function unpublishedAdvice(result: ScaffoldResult): string[] {
  if (result.fromCheckout !== undefined) {
    return [
      `The @slipstream dev dependencies link the built packages of the checkout ${result.fromCheckout} (file:);`,
      'npm run try-in-server takes the server from it too. Replace the links with released ranges before publishing.',
      '',
    ];
  }
  const checkout = ownCheckout();
  return [
    'If `npm install` fails with E404 for @slipstream/connector-core, the @slipstream packages are not',
    `published yet: scaffold again with --from-checkout ${checkout ?? '<your SlipStream checkout>'}${checkout === undefined ? ' (built with pnpm install && pnpm build)' : ", this scaffolder's own checkout"},`,
    'which links its built packages instead (README.md, "Working from a SlipStream checkout").',
    '',
  ];
}

function summary(result: ScaffoldResult, cwd: string): string {
  const where = relative(cwd, result.dir) || '.';
  const shown = where.startsWith('..') || where === '.' ? result.dir : `./${where}`;
  const lines = [
    `Created ${result.packageName} (${result.cloud}, license ${result.license}) in ${shown}:`,
    ...result.files.map((file) => `  ${file}`),
    '',
    ...result.notes.map((note) => `Note: ${note}`),
    ...(result.notes.length > 0 ? [''] : []),
    ...unpublishedAdvice(result),
    'Next:',
    `  cd ${shown}`,
    '  npm install        # or pnpm install',
    '  npm test           # the conformance and fault suites, against the stand-in API of src/testing/',
    '  npm run build',
    '  npm run try-in-server   # pack it, install it next to a scratch SlipStream server and start that',
    `Then make src/client.ts and the files around it speak ${result.cloud}'s API (the TODO comments say where).`,
    'Guide: https://github.com/slipstream/connectors/blob/main/docs/writing-a-connector.md',
    'Layout: https://github.com/slipstream/connectors/blob/main/docs/connector-guidelines.md',
    '',
  ];
  return lines.join('\n');
}
