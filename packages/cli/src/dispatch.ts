import { readFileSync } from 'node:fs';
import { didYouMean } from '@slipstream/connector-core';
import { type Command, type CommandIo, EXIT } from './command.js';
import { COMMANDS } from './commands/index.js';

/**
 * `slipstream <words...> [flags]`: picks the command whose path matches the leading words and runs
 * it with the rest; handles the top-level `--help`, `--version` and unknown commands.
 */

export const EXIT_HELP = `Exit statuses:
  ${EXIT.OK}    success
  ${EXIT.PROBLEMS}    the command ran and found problems (config check with an invalid list)
  ${EXIT.USAGE}    bad usage: unknown command or flag, missing or malformed argument, unknown connector
  ${EXIT.EXTERNAL}    something outside failed: registry unreachable or garbage, package manager failed
  ${EXIT.INTERRUPTED}  interrupted (Ctrl+C)`;

export function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return manifest.version ?? '0.0.0';
}

export function topHelp(commands: readonly Command[], { group = false } = {}): string {
  const rows: [string, string][] = commands.map((command) => [command.path.join(' '), command.summary]);
  if (!group) rows.push(['help [command]', "this help, or a command's (as slipstream <command> --help)"]);
  const width = Math.max(...rows.map(([name]) => name.length));
  const lines = rows.map(([name, summary]) => `  ${name.padEnd(width)}  ${summary}`);
  return `Usage: slipstream <command> [flags]

Manages SlipStream connectors and starts the server.

Commands:
${lines.join('\n')}

Flags:
  -h, --help     help for slipstream, or for a command (slipstream <command> --help)
  --version      the version of @slipstream/cli

${EXIT_HELP}
`;
}

export async function runCli(
  argv: readonly string[],
  io: CommandIo,
  commands: readonly Command[] = COMMANDS,
): Promise<number> {
  const words: string[] = [];
  for (const arg of argv) {
    if (arg.startsWith('-')) break;
    words.push(arg);
  }
  const command = longestMatch(words, commands);
  if (command !== undefined) return command.run(argv.slice(command.path.length), io);

  const first = argv[0];
  // Nothing asked is a request for help, as `git` and `npm` treat it: not a usage error.
  if (first === undefined || first === '--help' || first === '-h') {
    io.stdout.write(topHelp(commands));
    return EXIT.OK;
  }
  if (first === 'help') return help(argv.slice(1), io, commands);
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${version()}\n`);
    return EXIT.OK;
  }
  if (first.startsWith('-')) {
    io.stderr.write(`slipstream: unknown flag "${first}". Run "slipstream --help" for the commands.\n`);
    return EXIT.USAGE;
  }

  // A group word alone ("slipstream connectors") or with --help lists the group's commands.
  const group = commands.filter((candidate) => candidate.path.length > 1 && candidate.path[0] === first);
  const rest = argv[1];
  if (group.length > 0 && (rest === undefined || rest === '--help' || rest === '-h')) {
    io.stdout.write(topHelp(group, { group: true }));
    return EXIT.OK;
  }
  return unknownCommand(words, commands, io);
}

/** `slipstream help [command...]`: the same text as `slipstream [command...] --help`. */
function help(
  words: readonly string[],
  io: CommandIo,
  commands: readonly Command[],
): Promise<number> | number {
  if (words.length === 0) {
    io.stdout.write(topHelp(commands));
    return EXIT.OK;
  }
  const flag = words.find((word) => word.startsWith('-'));
  if (flag !== undefined) {
    io.stderr.write(`slipstream help: unknown flag "${flag}". Run "slipstream help <command>".\n`);
    return EXIT.USAGE;
  }
  const command = commands.find(
    (candidate) =>
      candidate.path.length === words.length && candidate.path.every((word, i) => words[i] === word),
  );
  if (command !== undefined) return command.run(['--help'], io);
  const group = commands.filter((candidate) => candidate.path.length > 1 && candidate.path[0] === words[0]);
  if (words.length === 1 && group.length > 0) {
    io.stdout.write(topHelp(group, { group: true }));
    return EXIT.OK;
  }
  return unknownCommand(words, commands, io);
}

function unknownCommand(words: readonly string[], commands: readonly Command[], io: CommandIo): number {
  const first = words[0] ?? '';
  const group = commands.filter((candidate) => candidate.path.length > 1 && candidate.path[0] === first);
  const given = group.length > 0 ? words.slice(0, 2).join(' ') : first;
  // Top level: both whole commands and group words ("connectors") are plausible targets of a typo.
  const candidates =
    group.length > 0
      ? group.map((candidate) => candidate.path.join(' '))
      : [...new Set(commands.flatMap((candidate) => [candidate.path.join(' '), candidate.path[0] ?? '']))];
  const suggestion = didYouMean(given, candidates);
  io.stderr.write(
    `slipstream: unknown command "${given}"${suggestion ? `; did you mean "${suggestion}"?` : '.'} Run "slipstream --help" for the commands.\n`,
  );
  return EXIT.USAGE;
}

function longestMatch(words: readonly string[], commands: readonly Command[]): Command | undefined {
  let best: Command | undefined;
  for (const command of commands) {
    const matches = command.path.every((word, i) => words[i] === word);
    if (matches && command.path.length > (best?.path.length ?? 0)) best = command;
  }
  return best;
}
