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

export function topHelp(commands: readonly Command[]): string {
  const names = commands.map((command) => command.path.join(' '));
  const width = Math.max(...names.map((name) => name.length));
  const lines = commands.map((command, i) => `  ${(names[i] ?? '').padEnd(width)}  ${command.summary}`);
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
  if (first === undefined || first === '--help' || first === '-h') {
    io.stdout.write(topHelp(commands));
    return first === undefined ? EXIT.USAGE : EXIT.OK;
  }
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
    io.stdout.write(topHelp(group));
    return rest === undefined ? EXIT.USAGE : EXIT.OK;
  }
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
